package io.kdensity.scale.plan;

import java.util.List;

/** The metric names a step produces, for SLO validation. Latencies are in milliseconds. */
public final class StepMetrics {
  /** Every metric name an SLO may use. */
  public static final List<String> KNOWN =
      List.of(
          "attach.p50",
          "attach.p90",
          "attach.p99",
          "attach.max",
          "ready.p50",
          "ready.p90",
          "ready.p99",
          "ready.max",
          "attach.failed",
          "ip.expected",
          "ip.present",
          "ip.tentative",
          "ip.lost",
          "ip.lost.missing",
          "ip.lost.dadfailed",
          "ip.lost.tentative",
          "ip.lost.unreachable",
          "neigh.v6.entries",
          "neigh.v6.table_fulls",
          "neigh.v6.forced_gc_runs",
          "neigh.v6.res_failed",
          "neigh.v4.entries",
          "neigh.v4.table_fulls",
          "neigh.v4.forced_gc_runs",
          "neigh.v4.res_failed",
          "l2.fdb.learned",
          "l2.bridge.max_ports",
          "l2.uplinks.promiscuous",
          "l2.uplinks.max_children",
          "softnet.processed",
          "softnet.dropped",
          "softnet.time_squeeze",
          "softirq.net_rx",
          "softirq.net_tx",
          "softirq.cpu_seconds",
          "softirq.cpu_share",
          "softirq.cycles_per_packet",
          "sock.rcvbuf_errors",
          "sock.sndbuf_errors",
          "sock.udp.mem_pages",
          "sock.tcp.mem_pages");

  private StepMetrics() {}

  public static boolean isKnown(String m) {
    return KNOWN.contains(m);
  }

  public static String closest(String m) {
    String best = null;
    int bestScore = 0;
    for (String k : KNOWN) {
      int common = 0;
      while (common < Math.min(k.length(), m.length()) && k.charAt(common) == m.charAt(common)) {
        common++;
      }
      if (common > bestScore) {
        bestScore = common;
        best = k;
      }
    }
    return bestScore >= 3 ? best : null;
  }
}
