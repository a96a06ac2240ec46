package io.kdensity.scale.predict;

import io.kdensity.probes.conntrack.ConntrackProbe;
import io.kdensity.probes.fdb.MacTableProbe;
import io.kdensity.probes.neigh.NeighbourProbe.Family;
import io.kdensity.reports.model.Prediction.CalibrationPoint;
import java.util.Optional;

/**
 * What a calibration point records, under the key {@code summary.json} keeps it by. Step metrics
 * keep their probe's name; the census's and the burst's are the model's own.
 */
public enum Measure {
  /**
   * The most IPv6 entries pinned at once on the machine while the step ran (its bring-up, settle
   * and sweep), sampled: a lower bound.
   */
  V6_PINNED_PEAK("neigh.v6.pinned.peak"),
  /** IPv6 entries forced GC cannot remove, right after the step's own measurement. */
  V6_PINNED_AT_STEP("neigh.v6.pinned.step"),
  /** IPv6 entries forced GC cannot remove after the step was held in steady state. */
  V6_PINNED_STEADY("neigh.v6.pinned.steady"),
  /** IPv6 entries counted against gc_thresh after the hold (pinned or not). */
  V6_COUNTED_STEADY("neigh.v6.counted.steady"),
  /** IPv6 entries counted against gc_thresh right after the step. */
  V6_COUNTED_AT_STEP("neigh.v6.counted.step"),
  /** Of the steady pinned IPv6 entries, the pods' own. */
  V6_PINNED_STEADY_PODS("neigh.v6.pinned.steady.pods"),
  /** Of the steady pinned IPv6 entries, the node's. */
  V6_PINNED_STEADY_NODE("neigh.v6.pinned.steady.node"),
  V6_GC_THRESH3(Family.V6.metrics().gcThresh3().name()),
  V4_PINNED_PEAK("neigh.v4.pinned.peak"),
  V4_PINNED_AT_STEP("neigh.v4.pinned.step"),
  V4_PINNED_STEADY("neigh.v4.pinned.steady"),
  V4_COUNTED_STEADY("neigh.v4.counted.steady"),
  V4_COUNTED_AT_STEP("neigh.v4.counted.step"),
  V4_PINNED_STEADY_PODS("neigh.v4.pinned.steady.pods"),
  V4_PINNED_STEADY_NODE("neigh.v4.pinned.steady.node"),
  V4_GC_THRESH3(Family.V4.metrics().gcThresh3().name()),
  /** Ports of the fullest bridge, node and emulated switch. */
  BRIDGE_PORTS(MacTableProbe.BRIDGE_MAX_PORTS.name()),
  FDB_LEARNED(MacTableProbe.FDB_LEARNED.name()),
  FDB_CAPACITY(MacTableProbe.FDB_CAPACITY.name()),
  /** macvlan/ipvlan MACs on the busiest uplink. */
  UPLINK_MACS(MacTableProbe.UPLINKS_MAX_CHILDREN.name()),
  /** Unicast filter slots of an uplink's NIC port, as the plan declares them. */
  UNICAST_FILTER(MacTableProbe.UPLINKS_UNICAST_FILTER.name()),
  /**
   * Connection tracking entries in the node's namespace after the hold, where it tracks
   * connections: the flows of the plan's traffic held in steady state, within their timeout.
   */
  CONNTRACK_STEADY("conntrack.entries.steady"),
  /** {@code nf_conntrack_max}: the limit every namespace's count is held to. */
  CONNTRACK_MAX(ConntrackProbe.MAX_ENTRIES.name()),
  /** Datagrams one calibration burst sent to the incast sinks. */
  INCAST_SENT("udp.incast.sent"),
  /** Of those, dropped on full receive buffers. */
  INCAST_RCVBUF_ERRORS("udp.incast.rcvbuf_errors"),
  /** Sinks the burst was spread over, round-robin. */
  INCAST_SINKS("udp.incast.sinks"),
  /** The node's memory, kB ({@code MemTotal}). */
  MEM_TOTAL_KB("mem.total_kb"),
  /** The node's memory not available to new work after the hold, kB (total less MemAvailable). */
  MEM_USED_STEADY_KB("mem.used_kb.steady"),
  /**
   * Of it, the kernel's own that it cannot reclaim after the hold, kB: where pod namespaces and
   * interfaces live ({@link io.kdensity.probes.memory.NodeMemory#kernelKb}).
   */
  MEM_KERNEL_STEADY_KB("mem.kernel_kb.steady");

  private final String key;

  Measure(String key) {
    this.key = key;
  }

  public String key() {
    return key;
  }

  /** The point's value, if it recorded this. */
  public Optional<Long> in(CalibrationPoint p) {
    return Optional.ofNullable(p.measured().get(key));
  }

  public static Measure pinnedPeak(Family f) {
    return f == Family.V6 ? V6_PINNED_PEAK : V4_PINNED_PEAK;
  }

  public static Measure pinnedAtStep(Family f) {
    return f == Family.V6 ? V6_PINNED_AT_STEP : V4_PINNED_AT_STEP;
  }

  public static Measure pinnedSteady(Family f) {
    return f == Family.V6 ? V6_PINNED_STEADY : V4_PINNED_STEADY;
  }

  public static Measure countedSteady(Family f) {
    return f == Family.V6 ? V6_COUNTED_STEADY : V4_COUNTED_STEADY;
  }

  public static Measure countedAtStep(Family f) {
    return f == Family.V6 ? V6_COUNTED_AT_STEP : V4_COUNTED_AT_STEP;
  }

  public static Measure pinnedSteadyPods(Family f) {
    return f == Family.V6 ? V6_PINNED_STEADY_PODS : V4_PINNED_STEADY_PODS;
  }

  public static Measure pinnedSteadyNode(Family f) {
    return f == Family.V6 ? V6_PINNED_STEADY_NODE : V4_PINNED_STEADY_NODE;
  }

  public static Measure gcThresh3(Family f) {
    return f == Family.V6 ? V6_GC_THRESH3 : V4_GC_THRESH3;
  }
}
