package io.kdensity.probes.link;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code /proc/net/dev}: per-interface byte, packet, error and drop counters of one network
 * namespace. Read through a pod's anchor process, it costs no process start.
 */
public final class NetDevParser {
  private NetDevParser() {}

  /** Interface name → counters. */
  public static Map<String, LinkStats> parse(String text, String source) {
    Map<String, LinkStats> out = new LinkedHashMap<>();
    List<String> lines = Text.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (i < 2 && line.contains("|")) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new ParseException(source, i + 1, line, "expected 'dev: counters'");
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length < 16) {
        throw new ParseException(source, i + 1, line, "expected 16 counters, found " + f.length);
      }
      long[] v = new long[16];
      for (int c = 0; c < 16; c++) {
        v[c] = Text.dec(f[c], source, i + 1, line);
      }
      out.put(
          line.substring(0, colon).trim(),
          new LinkStats(v[1], v[0], v[2], v[3], v[9], v[8], v[10], v[11]));
    }
    return out;
  }
}
