package io.kdensity.probes.reach;

import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parses the default output of {@code fping}: {@code ADDR is alive} / {@code ADDR is unreachable}
 * (also {@code ADDR is alive (retry 1)}). Error lines about single targets (e.g. {@code ICMP Host
 * Unreachable from …}) and fping's per-target reports on stderr ({@code ADDR : duplicate for [0],
 * 64 bytes, 10.8 ms} — two answers to one echo, seen on a node whose neighbour table overflows) are
 * skipped; lines that name no target are errors.
 */
public final class FpingParser {
  /** fping's stderr report about one target's answers: {@code ADDR : …}. */
  private static final Pattern PER_TARGET_REPORT = Pattern.compile("[0-9A-Fa-f.:]+ : .*");

  private FpingParser() {}

  /** Address (canonical) → alive. */
  public static Map<String, Boolean> parse(String text, String source) {
    Map<String, Boolean> out = new LinkedHashMap<>();
    List<String> lines = Text.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.startsWith("ICMP ")
          || l.contains(" error while sending ping")
          || PER_TARGET_REPORT.matcher(l).matches()) {
        continue;
      }
      int is = l.indexOf(" is ");
      if (is < 0) {
        throw new ParseException(source, i + 1, l, "expected 'ADDR is alive|unreachable'");
      }
      String addr = Addresses.canonical(l.substring(0, is));
      String rest = l.substring(is + 4);
      if (rest.startsWith("alive")) {
        out.put(addr, true);
      } else if (rest.startsWith("unreachable")) {
        out.putIfAbsent(addr, false);
      } else {
        throw new ParseException(source, i + 1, l, "expected 'alive' or 'unreachable'");
      }
    }
    return out;
  }
}
