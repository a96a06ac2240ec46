package io.kdensity.probes.socket;

import java.util.HashMap;
import java.util.Map;

/**
 * Counters grouped by protocol, e.g. {@code Udp.RcvbufErrors}, {@code TcpExt.PruneCalled}, {@code
 * Udp6.RcvbufErrors}.
 */
public record MibCounters(Map<String, Map<String, Long>> groups) {
  public MibCounters {
    groups = Map.copyOf(groups);
  }

  /** One counter, or 0 if the kernel does not print it. */
  public long get(String group, String name) {
    Map<String, Long> g = groups.get(group);
    return g == null ? 0 : g.getOrDefault(name, 0L);
  }

  /** All counters merged (for counters split across files, e.g. snmp + snmp6 + netstat). */
  public MibCounters merge(MibCounters other) {
    HashMap<String, Map<String, Long>> m = new HashMap<>(groups);
    m.putAll(other.groups);
    return new MibCounters(m);
  }
}
