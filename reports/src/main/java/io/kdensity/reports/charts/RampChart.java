package io.kdensity.reports.charts;

import io.kdensity.probes.finding.FindingCode;

/** The charts of a ramp ({@link Charts#ramp}), each with its file name and what it shows. */
public enum RampChart {
  ATTACH_LATENCY("attach-latency.png"),
  NEIGHBOURS("neighbours.png"),
  FDB("fdb.png"),
  SOFTNET("softnet.png"),
  SOCKET_ERRORS("socket-errors.png"),
  CONNTRACK("conntrack.png"),
  SOFTIRQ_CPU("softirq-cpu.png");

  private final String fileName;

  RampChart(String fileName) {
    this.fileName = fileName;
  }

  /** The attachment's file name, e.g. {@code neighbours.png}. */
  public String fileName() {
    return fileName;
  }

  /**
   * The chart on which a finding's limit shows: the counter that moved against its limit, or for an
   * address lost or an interface not attached, what the ramp's attach looked like.
   */
  public static RampChart showing(FindingCode code) {
    return switch (code) {
      case NEIGH_TABLE_OVERFLOW -> NEIGHBOURS;
      case FDB_OVER_CAPACITY, NIC_PROMISC_FALLBACK -> FDB;
      case SOFTNET_DROPS, SOFTNET_TIME_SQUEEZE -> SOFTNET;
      case SOCKET_RCVBUF_ERRORS, SOCKET_SNDBUF_ERRORS -> SOCKET_ERRORS;
      case CONNTRACK_TABLE_FULL -> CONNTRACK;
      case IP_LOSS, BRIDGE_PORT_LIMIT, ATTACH_FAILED, ATTACH_SLOW, LEAK, DRIFT -> ATTACH_LATENCY;
    };
  }
}
