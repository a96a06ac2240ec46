package io.kdensity.probes.reach;

import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
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

  /** {@code ADDR is alive (0.068 ms)}: fping's answer line with {@code -e}, its round trip. */
  private static final Pattern ANSWER =
      Pattern.compile("^(\\S+) is alive \\(([0-9.]+(?:e[+-]?[0-9]+)?) ms\\).*$");

  private FpingParser() {}

  /**
   * One answered target and fping's round trip of the request it answered (with {@code -e}): from
   * fping's send to its receipt, which includes the sender's neighbour resolution when the entry
   * was new (the request waits in the entry's queue until the neighbour answers). After retries
   * fping times the latest request it sent, not the first.
   *
   * @param address canonical
   * @param rttNanos the round trip
   */
  public record Answer(String address, long rttNanos) {}

  /** The answer one line of fping reports, if it reports one with its round trip. */
  public static Optional<Answer> answer(String line) {
    Matcher m = ANSWER.matcher(line.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    return Optional.of(
        new Answer(
            Addresses.canonical(m.group(1)),
            Math.round(Double.parseDouble(m.group(2)) * 1_000_000.0)));
  }

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
