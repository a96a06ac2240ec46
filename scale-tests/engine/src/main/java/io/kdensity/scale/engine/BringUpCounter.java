package io.kdensity.scale.engine;

import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.probe.Sweep;
import io.kdensity.scale.metrics.EngineMetrics;
import java.util.List;
import java.util.function.ToLongBiFunction;

/**
 * A counter read across the gap between two steps' probes — the previous step's last and this
 * step's first — so what a step's bring-up did before its own probes start: a burst the step's
 * before/after never sees. A non-zero count is a warning, so the knee stays the step whose steady
 * traffic breaks; an SLO on the metric makes it count.
 */
enum BringUpCounter {
  /**
   * Neighbour entries both tables refused (DAD, solicitations, first contact with new addresses).
   */
  NEIGHBOUR_REFUSED(
      NeighbourProbe.NAME,
      NeighbourProbe::refusedBetween,
      EngineMetrics.BRINGUP_TABLE_FULLS,
      Cause.NEIGHBOUR_TABLE_FULL,
      "the neighbour tables refused %,d entries",
      "table_fulls"),
  /** Packets the CPUs' input backlogs dropped (the timer-batched floods of new bridge ports). */
  BACKLOG_DROPPED(
      PacketCpuProbe.NAME,
      PacketCpuProbe::droppedBetween,
      EngineMetrics.BRINGUP_SOFTNET_DROPPED,
      Cause.BACKLOG_FULL,
      "the CPUs' input backlogs dropped %,d packets",
      "softnet dropped");

  private final String probe;
  private final ToLongBiFunction<Object, Object> between;
  private final Metric metric;
  private final Cause cause;
  private final String what;
  private final String counter;

  BringUpCounter(
      String probe,
      ToLongBiFunction<Object, Object> between,
      Metric metric,
      Cause cause,
      String what,
      String counter) {
    this.probe = probe;
    this.between = between;
    this.metric = metric;
    this.cause = cause;
    this.what = what;
    this.counter = counter;
  }

  /** The metric that carries the count. */
  Metric metric() {
    return metric;
  }

  /** The count from the previous step's last sweep to this step's first. */
  long between(Sweep earlier, Sweep later) {
    return between.applyAsLong(earlier.snapshots().get(probe), later.snapshots().get(probe));
  }

  /** The warning for a non-zero count, at a step brought to {@code pods}. */
  Finding warning(long count, int pods) {
    return Finding.of(
            Severity.WARNING,
            cause,
            "node",
            String.format(what, count)
                + String.format(
                    " between the previous step's last probe and this step's first, while the pods"
                        + " were brought to %,d and settled",
                    pods),
            List.of(
                Evidence.counter(
                    counter + " from the previous step's last probe to this step's first",
                    0,
                    count)))
        .from(probe);
  }
}
