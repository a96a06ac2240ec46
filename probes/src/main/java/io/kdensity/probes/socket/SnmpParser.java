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
      if (c1 < 0 || c2 < 0 || !names.substring(0, c1).equals(values.substring(0, c2))) {
        throw new ParseException(
            source, i + 2, values, "expected a values line for " + names.split(":")[0]);
      }
      String[] n = names.substring(c1 + 1).trim().split("\\s+");
      String[] v = values.substring(c2 + 1).trim().split("\\s+");
      if (n.length != v.length) {
        throw new ParseException(
            source, i + 2, values, n.length + " names but " + v.length + " values");
      }
      Map<String, Long> g = new LinkedHashMap<>();
      for (int k = 0; k < n.length; k++) {
        g.put(n[k], Text.dec(v[k], source, i + 2, values));
      }
      groups.put(names.substring(0, c1), g);
    }
    if (lines.size() % 2 != 0) {
      throw new ParseException(
          source, lines.size(), lines.get(lines.size() - 1), "names line without values");
    }
    return new MibCounters(groups);
  }
}
