package io.kdensity.probes.socket;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code /proc/net/snmp} and {@code /proc/net/netstat}: pairs of lines {@code Group: names…}
 * and {@code Group: values…}.
 */
public final class SnmpParser {
  private SnmpParser() {}

  public static MibCounters parse(String text, String source) {
    List<String> lines = Text.lines(text);
    Map<String, Map<String, Long>> groups = new HashMap<>();
    for (int i = 0; i + 1 < lines.size(); i += 2) {
      String names = lines.get(i);
      String values = lines.get(i + 1);
      int c1 = names.indexOf(':');
      int c2 = values.indexOf(':');
      String group = c1 < 0 ? names.strip() : names.substring(0, c1);
      if (c1 < 0 || c2 < 0 || !group.equals(values.substring(0, c2))) {
        throw new ParseException(
            source, i + 2, values, "expected a values line for '" + group + "'");
      }
      String[] n = fields(names.substring(c1 + 1));
      String[] v = fields(values.substring(c2 + 1));
      if (n.length != v.length) {
        throw new ParseException(
            source, i + 2, values, n.length + " names but " + v.length + " values");
      }
      Map<String, Long> g = new LinkedHashMap<>();
      for (int k = 0; k < n.length; k++) {
        g.put(n[k], Text.dec(v[k], source, i + 2, values));
      }
      groups.put(group, g);
    }
    if (lines.size() % 2 != 0) {
      throw new ParseException(
          source, lines.size(), lines.get(lines.size() - 1), "names line without values");
    }
    return new MibCounters(groups);
  }

  /** The space-separated fields after a group's colon; none for a blank rest of line. */
  private static String[] fields(String rest) {
    String t = rest.strip();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }
}
