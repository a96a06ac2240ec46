package io.kdensity.scale.engine;

import io.kdensity.probes.conntrack.ConntrackProbe;
import io.kdensity.probes.memory.NodeMemory;
import io.kdensity.probes.neigh.NeighbourCensus;
import io.kdensity.probes.neigh.NeighbourCensus.Census;
import io.kdensity.probes.neigh.NeighbourProbe.Family;
import io.kdensity.probes.neigh.NeighbourProbe.Role;
import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.shell.ShellException;
import io.kdensity.probes.socket.SocketBufferProbe;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.Prediction.CalibrationPoint;
import io.kdensity.reports.model.Prediction.Headroom;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.predict.CapacityModel;
import io.kdensity.scale.predict.Measure;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.TrafficResult;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Measures the capacity model's calibration on a ramp's first two passing plain steps. Right after
 * such a step (its bring-up's entries still fresh) a census of the neighbour tables; then the step
 * held in steady state, a second census and the node's memory; at the second point of a plan with
 * an incast load, one burst as large as the predicted density sends. The step's own metrics give
 * the limits (gc_thresh3) and the bridge and MAC table counts. The ramp goes on from there as it
 * would have.
 */
final class Calibrator {
  /** Points the model needs: two pod counts, the second one plain step above the first. */
  static final int POINTS = 2;

  /** Step metrics a point copies as they are. */
  private static final List<Measure> FROM_STEP =
      List.of(
          Measure.V6_GC_THRESH3,
          Measure.V4_GC_THRESH3,
          Measure.BRIDGE_PORTS,
          Measure.FDB_LEARNED,
          Measure.FDB_CAPACITY,
          Measure.UPLINK_MACS,
          Measure.UNICAST_FILTER,
          Measure.CONNTRACK_MAX);

  private final Plan plan;
  private final Target target;
  private final SteadyHold hold;
  private final Progress progress;
  private final Clock clock;
  private final int pods;
  private final List<CalibrationPoint> points = new ArrayList<>();

  /**
   * @param pods the density to predict for: the incast burst is the one it sends
   */
  Calibrator(Plan plan, Target target, SteadyHold hold, Progress progress, Clock clock, int pods) {
    this.plan = plan;
    this.target = target;
    this.hold = hold;
    this.progress = progress;
    this.clock = clock;
    this.pods = pods;
  }

  /** Whether this step can become a calibration point: its pinned peak is sampled while it runs. */
  boolean candidate(Step step) {
    return points.size() < POINTS && !step.bisection() && step.window() == null;
  }

  /** Samples the machine's pinned entries until closed. */
  PinnedPeak sample() {
    return PinnedPeak.start(target.scope().host());
  }

  /** Whether this step's outcome becomes a calibration point. */
  boolean wants(Step step, StepOutcome o) {
    return candidate(step)
        && o.passed()
        && (points.isEmpty() || o.pods() > points.get(points.size() - 1).pods());
  }

  boolean done() {
    return points.size() >= POINTS;
  }

  /** The node's memory after the hold; none, with why, if the node's meminfo cannot be read. */
  private Optional<Map<String, Long>> memory(ProbeScope scope) {
    try {
      NodeMemory mem = NodeMemory.read(scope.host());
      return Optional.of(
          Map.of(
              Measure.MEM_TOTAL_KB.key(), mem.totalKb(),
              Measure.MEM_USED_STEADY_KB.key(), mem.usedKb(),
              Measure.MEM_KERNEL_STEADY_KB.key(), mem.kernelKb()));
    } catch (ShellException | ParseException e) {
      progress.step("the node's memory is not modelled: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * The node namespace's connection tracking entries after the hold; none where it has no
   * conntrack, or, with why, where its files cannot be read.
   */
  private Optional<Long> conntrack(ProbeScope scope) {
    try {
      ConntrackProbe.Snapshot ct =
          new ConntrackProbe(ConntrackProbe.Thresholds.DEFAULT)
              .snapshot(new ProbeContext(scope, Runnable::run, clock));
      return ct.present() ? Optional.of(ct.entries()) : Optional.empty();
    } catch (ShellException | ParseException e) {
      progress.step("the node's connection tracking is not modelled: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * Measures the point of a step that just ran, holding the node at its pod count meanwhile.
   *
   * @param peak what was pinned at most while the step ran
   */
  void measure(StepOutcome o, String head, PinnedPeak peak) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Family f : Family.values()) {
      m.put(Measure.pinnedPeak(f).key(), peak.peak(f));
    }
    for (Measure x : FROM_STEP) {
      Double v = o.metrics().get(x.key());
      if (v != null) {
        m.put(x.key(), Math.round(v));
      }
    }
    progress.phase(head + ": calibration census of the neighbour tables");
    ProbeScope scope = target.scope();
    Census atStep = NeighbourCensus.take(scope);
    Duration length = hold.length(scope);
    hold.hold(head + ": calibrating", length);
    ProbeScope afterHold = target.scope();
    Census steady = NeighbourCensus.take(afterHold);
    for (Family f : Family.values()) {
      m.put(Measure.pinnedAtStep(f).key(), atStep.total(f).pinned());
      m.put(Measure.pinnedSteady(f).key(), steady.total(f).pinned());
      m.put(Measure.countedSteady(f).key(), steady.total(f).counted());
      m.put(Measure.countedAtStep(f).key(), atStep.total(f).counted());
      m.put(Measure.pinnedSteadyPods(f).key(), steady.tally(Role.PODS, f).pinned());
      m.put(Measure.pinnedSteadyNode(f).key(), steady.tally(Role.NODE, f).pinned());
    }
    memory(afterHold).ifPresent(m::putAll);
    conntrack(afterHold).ifPresent(n -> m.put(Measure.CONNTRACK_STEADY.key(), n));
    if (points.size() == POINTS - 1) {
      incastBurst(o.pods()).ifPresent(m::putAll);
    }
    points.add(new CalibrationPoint(o.pods(), m));
    if (peak.samples() == 0) {
      progress.step(
          "no census of the machine succeeded while the step ran ("
              + peak.error()
              + "): the step's transient is taken as one step's worth");
    }
    progress.step(
        String.format(
            "calibration point %d of %d at %d pods: IPv6 entries pinned at most %,d while the step"
                + " ran (%d censuses), %,d right after it, %,d after %d s in steady state",
            points.size(),
            POINTS,
            o.pods(),
            peak.peak(Family.V6),
            peak.samples(),
            atStep.total(Family.V6).pinned(),
            steady.total(Family.V6).pinned(),
            length.toSeconds()));
  }

  /**
   * One burst of the plan's incast as large as {@link #pods} send, from the pods there are now:
   * what a sink takes of it is its capacity per burst.
   */
  private Optional<Map<String, Long>> incastBurst(int podsNow) {
    Traffic t = plan.traffic();
    Traffic.Udp u = t.udp();
    if (!u.enabled() || u.pattern() != Traffic.UdpPattern.INCAST) {
      return Optional.empty();
    }
    progress.phase("calibration: one incast burst as large as " + pods + " pods send");
    int perPod = (int) Math.ceil((double) u.perPod() * Math.max(pods, podsNow) / podsNow);
    Traffic burst =
        new Traffic(
            false,
            t.pingInterval(),
            t.pingTimeout(),
            t.pingRetries(),
            0,
            new Traffic.Udp(
                true,
                u.pods(),
                u.rate(),
                u.payload(),
                u.rcvbuf(),
                Traffic.UdpPattern.INCAST,
                perPod,
                u.readRate(),
                u.readBurst()));
    SocketBufferProbe probe = new SocketBufferProbe(SocketBufferProbe.Thresholds.DEFAULT);
    ProbeContext ctx = new ProbeContext(target.scope(), Runnable::run, clock);
    SocketBufferProbe.Snapshot before = probe.snapshot(ctx);
    // one second: one burst (a burst every second of the hold)
    TrafficResult r = target.traffic(burst, Duration.ofSeconds(1));
    SocketBufferProbe.Snapshot after = probe.snapshot(ctx);
    double dropped =
        probe
            .evaluate(before, after, ctx)
            .metrics()
            .getOrDefault(SocketBufferProbe.RCVBUF_ERRORS.name(), 0.0);
    return Optional.of(
        Map.of(
            Measure.INCAST_SENT.key(),
            r.udp().sent(),
            Measure.INCAST_RCVBUF_ERRORS.key(),
            Math.round(dropped),
            Measure.INCAST_SINKS.key(),
            (long) Math.min(u.pods(), podsNow)));
  }

  /**
   * The prediction from the points measured so far: with both, every modelled limit; with fewer,
   * the limits that need no calibration (the plan's IPAM ranges, the node's pod limits).
   */
  Prediction prediction() {
    List<Headroom> node;
    try {
      node = target.nodeLimits(pods);
    } catch (RuntimeException e) {
      progress.step("the node's pod limits are not in the prediction: " + e.getMessage());
      node = List.of();
    }
    return CapacityModel.predict(plan, points, pods, node);
  }
}
