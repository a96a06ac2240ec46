package io.kdensity.scale.engine;

import io.kdensity.probes.neigh.GcHold;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.Target;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;

/**
 * Holds the node at its pod count with the plan's traffic running, sweep after sweep, until a
 * bring-up's neighbour entries no longer pin the tables: the entries the traffic keeps using stay
 * REACHABLE, DELAY or PROBE (pinned, as on a live node), and every other one has left REACHABLE and
 * been idle long enough for forced GC to take it.
 *
 * <p>The length, unless the plan sets one, comes from the node: an entry is REACHABLE for its
 * interface's {@code reachable_time}, drawn between 0.5 and 1.5 × {@code base_reachable_time}
 * ({@code neigh_rand_reach_time}, net/core/neighbour.c), then STALE; forced GC spares a STALE entry
 * updated in the last 5 s ({@code neigh_forced_gc}). So 1.5 × the larger family's {@code
 * base_reachable_time} + 5 s: 50 s at kernel defaults.
 */
final class SteadyHold {
  /** The node-wide defaults new interfaces copy, per family. */
  static final String[] BASE_REACHABLE_TIME = {
    "/proc/sys/net/ipv6/neigh/default/base_reachable_time_ms",
    "/proc/sys/net/ipv4/neigh/default/base_reachable_time_ms"
  };

  private final Plan plan;
  private final Target target;
  private final Clock clock;
  private final Progress progress;
  private final Runnable checkInterrupt;

  /** What a hold did. */
  record Held(Duration length, int sweeps) {}

  /**
   * @param checkInterrupt throws when the run is to stop, called between sweeps
   */
  SteadyHold(Plan plan, Target target, Clock clock, Progress progress, Runnable checkInterrupt) {
    this.plan = plan;
    this.target = target;
    this.clock = clock;
    this.progress = progress;
    this.checkInterrupt = checkInterrupt;
  }

  /** The plan's hold, or one REACHABLE lifetime and forced GC's grace read from the node. */
  Duration length(ProbeScope scope) {
    Duration set = plan.steady().hold();
    if (!set.isZero()) {
      return set;
    }
    return length(scope.host());
  }

  /** 1.5 × the larger {@code base_reachable_time} of the node's defaults + 5 s. */
  static Duration length(NodeShell host) {
    long base = 0;
    for (String path : BASE_REACHABLE_TIME) {
      String v = host.readFile(path).trim();
      try {
        base = Math.max(base, Long.parseLong(v));
      } catch (NumberFormatException e) {
        throw new InfrastructureException(
            path + " of " + host.describe() + " holds '" + v + "', not a number of milliseconds");
      }
    }
    return Duration.ofMillis(base * 3 / 2).plus(GcHold.GRACE);
  }

  /** Runs the plan's traffic, one sweep after another, for {@code length}. */
  Held hold(String head, Duration length) {
    long t0 = clock.monotonicTime();
    long end = t0 + length.toNanos();
    int sweeps = 0;
    while (clock.monotonicTime() < end) {
      checkInterrupt.run();
      long left = (end - clock.monotonicTime()) / 1_000_000_000L;
      progress.phase(
          String.format(
              "%s: holding %d s in steady state, %d s left (sweep %d)",
              head, length.toSeconds(), left, sweeps + 1));
      target.traffic(plan.traffic(), plan.hold());
      sweeps++;
    }
    return new Held(Duration.ofNanos(clock.monotonicTime() - t0), sweeps);
  }
}
