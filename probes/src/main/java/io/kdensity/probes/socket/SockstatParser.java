package io.kdensity.probes.socket;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code /proc/net/sockstat} and {@code sockstat6}: {@code PROTO: key value key value…}.
 * {@code mem} values are in pages.
 */
public final class SockstatParser {
  private SockstatParser() {}

  public static MibCounters parse(String text, String source) {
    Map<String, Map<String, Long>> groups = new HashMap<>();
    List<String> lines = Text.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new ParseException(source, i + 1, line, "expected 'PROTO: key value …'");
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length % 2 != 0) {
        throw new ParseException(source, i + 1, line, "odd number of key/value tokens");
      }
      Map<String, Long> g = new LinkedHashMap<>();
      for (int k = 0; k < f.length; k += 2) {
        g.put(f[k], Text.dec(f[k + 1], source, i + 1, line));
      }
      groups.put(line.substring(0, colon).trim(), g);
    }
    return new MibCounters(groups);
  }
}
