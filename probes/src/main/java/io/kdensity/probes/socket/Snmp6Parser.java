package io.kdensity.probes.socket;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code /proc/net/snmp6}: {@code Name value} lines; names are grouped by prefix (Ip6,
 * Icmp6, Udp6, UdpLite6) so {@code Udp6RcvbufErrors} becomes {@code Udp6.RcvbufErrors}.
 */
public final class Snmp6Parser {
  private static final List<String> GROUPS = List.of("UdpLite6", "Udp6", "Icmp6", "Ip6");

  private Snmp6Parser() {}

  public static MibCounters parse(String text, String source) {
    Map<String, Map<String, Long>> groups = new HashMap<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length != 2) {
        throw new ParseException(source, i + 1, line, "expected 'Name value'");
      }
      String group = GROUPS.stream().filter(f[0]::startsWith).findFirst().orElse("Other6");
      String name = group.equals("Other6") ? f[0] : f[0].substring(group.length());
      groups
          .computeIfAbsent(group, g -> new HashMap<>())
          .put(name, Text.dec(f[1], source, i + 1, line));
    }
    return new MibCounters(groups);
  }
}
