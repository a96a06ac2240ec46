package io.kdensity.scale.engine;

import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.process.ProcessCpu;
import io.kdensity.probes.process.ProcessFootprint;
import io.kdensity.reports.model.BurstTolerance;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.SteadyState;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.Target;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs a plan on a target one step at a time and keeps what the steps measured. {@link #next()}
 * asks the {@link StepPlanner} for the next pod count, {@link #execute} has the {@link
 * StepExecutor} run it, {@link #knee()} and {@link #summary} read the results. A failing SLO is a
 * result; an infrastructure error ends the session with verdict {@code error}.
 *
 * <pre>{@code
 * RampSession s =
 *     new RampSession(plan, target, probes, clock, ProcessCpu.SELF, progress, meters, info, kernel);
 * for (Optional<Step> n = s.next(); n.isPresent(); n = s.next()) {
 *   StepOutcome o = s.execute(n.get());
 * }
 * RunSummary summary = s.summary(recommendations);
 * }</pre>
 */
public final class RampSession {

  /** Facts about the run that the summary carries. */
  public record RunInfo(
      String runId, String version, String target, NodeFacts node, String profile) {}

  private final Plan plan;
  private final Clock clock;
  private final Progress progress;
  private final StepMeters meters;
  private final RunInfo info;
  private final StepSource planner;
  private final StepExecutor executor;
  private final BurstSearch burst;
  private final SteadyHold steadyHold;
  private final Target target;
  private final Instant started;
  private final long startedNanos;
  private final List<StepOutcome> outcomes = new ArrayList<>();
  private Calibrator calibrator;
  private boolean calibrationOnly;
  private volatile boolean interrupted;
  private volatile String error = "";

  /**
   * @param cpu this process's CPU and its children's, attributed to the steps' phases
   * @param kernelCleanup waits for the kernel to free deleted namespaces before the first step and
   *     after a scale-down, and tells which steps overlapped its work (the local target)
   */
  public RampSession(
      Plan plan,
      Target target,
      ProbeRunner probes,
      Clock clock,
      ProcessCpu cpu,
      Progress progress,
      StepMeters meters,
      RunInfo info,
      Optional<KernelCleanupWait> kernelCleanup) {
    this(
        plan,
        target,
        probes,
        clock,
        cpu,
        ProcessFootprint.self(),
        progress,
        meters,
        info,
        kernelCleanup,
        new StepPlanner(plan));
  }

  /**
   * A session whose steps come from {@code steps} (a soak's windows), with kdensity's own footprint
   * read at every step.
   */
  public RampSession(
      Plan plan,
      Target target,
      ProbeRunner probes,
      Clock clock,
      ProcessCpu cpu,
      ProcessFootprint footprint,
      Progress progress,
      StepMeters meters,
      RunInfo info,
      Optional<KernelCleanupWait> kernelCleanup,
      StepSource steps) {
    this.plan = plan;
    this.clock = clock;
    this.progress = progress;
    this.meters = meters;
    this.info = info;
    this.planner = steps;
    Runnable checkInterrupt =
        () -> {
          if (interrupted || Thread.currentThread().isInterrupted()) {
            throw new InfrastructureException("interrupted");
          }
        };
    this.target = target;
    this.steadyHold = new SteadyHold(plan, target, clock, progress, checkInterrupt);
    this.executor =
        new StepExecutor(
            plan,
            target,
            probes,
            clock,
            cpu,
            footprint,
            progress,
            kernelCleanup,
            steadyHold,
            () -> interrupted);
    this.burst =
        new BurstSearch(
            plan,
            target,
            probes,
            progress,
            kernelCleanup,
            steadyHold,
            new Settle(plan.thresholds().ipLoss(), clock));
    this.started = Instant.ofEpochMilli(clock.wallTime());
    this.startedNanos = clock.monotonicTime();
  }

  /** A ramp's steps: the plan's pod counts, the stop policy's extra steps, then bisection. */
  public static StepSource rampSteps(Plan plan) {
    return new StepPlanner(plan);
  }

  /**
   * Calibrates the capacity model on the first two passing plain steps (each also held in steady
   * state, which adds one hold per point) and predicts for {@code pods}; call before the first
   * step.
   *
   * @param only end the session once calibrated ({@code kdensity predict}), or at the first step
   *     that fails before
   */
  public void predict(int pods, boolean only) {
    if (!outcomes().isEmpty()) {
      throw new IllegalStateException("predict before the first step");
    }
    this.calibrator = new Calibrator(plan, target, steadyHold, progress, clock, pods);
    this.calibrationOnly = only;
    // the limits that need no calibration (a host-local range too small, a cluster node's pod
    // slots), before a pod is made
    calibrator
        .prediction()
        .firstToBreak()
        .ifPresent(
            h ->
                progress.step(
                    String.format(
                        "predicted without calibration: %s at %s (%s)",
                        h.code(), h.range(), h.limit())));
  }

  /**
   * The capacity model's prediction from this run's calibration; empty without {@link #predict}.
   * When the node failed before the second calibration point it has only the limits that need no
   * calibration (said on the progress).
   */
  public Optional<Prediction> prediction() {
    if (calibrator == null) {
      return Optional.empty();
    }
    Prediction p = calibrator.prediction();
    if (!p.calibrated()) {
      progress.step(
          "prediction without the measured limits: the run ended before its second calibration"
              + " point (a plain step that passed above the first)");
    }
    return Optional.of(p);
  }

  /** Stops after the current phase (Ctrl-C). */
  public void interrupt() {
    interrupted = true;
  }

  public boolean interrupted() {
    return interrupted;
  }

  /** Records an infrastructure error; no further steps run. */
  public void fail(String message) {
    error = message;
  }

  public List<StepOutcome> outcomes() {
    synchronized (outcomes) {
      return List.copyOf(outcomes);
    }
  }

  /** The next step, or empty when the ramp, extra steps and bisection are done. */
  public Optional<Step> next() {
    if (interrupted || !error.isEmpty()) {
      return Optional.empty();
    }
    if (calibrationOnly && (calibrator.done() || outcomes().stream().anyMatch(o -> !o.passed()))) {
      return Optional.empty();
    }
    return planner.next(outcomes());
  }

  /**
   * Runs one step.
   *
   * @throws InfrastructureException if the harness cannot do its job; the session then ends
   */
  public StepOutcome execute(Step step) {
    String head = step.title(plan.interfacesPerPod());
    try {
      PinnedPeak peak =
          calibrator != null && calibrator.candidate(step) ? calibrator.sample() : null;
      StepOutcome o;
      try {
        o = executor.execute(step, outcomes().isEmpty());
      } finally {
        if (peak != null) {
          peak.close();
        }
      }
      synchronized (outcomes) {
        outcomes.add(o);
      }
      meters.record(o);
      progress.step(
          ProgressLine.of(
              o,
              head,
              outcomes(),
              Duration.ofNanos(clock.monotonicTime() - startedNanos),
              // a calibration alone ends after its two points
              calibrationOnly
                  ? Math.max(0, Calibrator.POINTS - outcomes().size())
                  : planner.stepsLeft(),
              plan.attachMode(),
              step.window() != null));
      if (calibrator != null && calibrator.wants(step, o)) {
        calibrator.measure(o, head, peak);
      }
      return o;
    } catch (InfrastructureException e) {
      fail(e.getMessage());
      throw e;
    } catch (RuntimeException e) {
      if (interrupted) {
        throw new InfrastructureException("interrupted at " + head, e);
      }
      fail(e.toString());
      throw new InfrastructureException("harness error at " + head + ": " + e, e);
    }
  }

  /**
   * After a steady-state ramp's steps: the hold it used and how many pods the node takes at once at
   * its steady-state capacity (the knee's last passing count). Empty for a plain ramp. The burst is
   * left out without a knee or a passing step below it, after an interruption or an error, or when
   * the search itself failed (said on the progress). Reads the node: call it before tearing down.
   */
  public Optional<SteadyState> steadyState() {
    if (!plan.steady().enabled()) {
      return Optional.empty();
    }
    Duration length;
    try {
      length = steadyHold.length(target.scope());
    } catch (RuntimeException e) {
      progress.step("steady-state hold not read: " + e.getMessage());
      return Optional.empty();
    }
    Knee k = knee();
    BurstTolerance b = null;
    if (plan.steady().burst()
        && !interrupted
        && error.isEmpty()
        && k != null
        && k.lastPassingPods() > 0) {
      try {
        b = burst.at(k.lastPassingPods(), length);
      } catch (InfrastructureException e) {
        progress.step("burst tolerance not measured: " + e.getMessage());
      }
    }
    return Optional.of(new SteadyState(length.toSeconds(), b));
  }

  /** The knee so far: the first failing pod count, narrowed by bisection; null if none failed. */
  public Knee knee() {
    return KneeFinder.knee(outcomes());
  }

  /** The summary of everything measured so far (also after an interruption or an error). */
  public RunSummary summary(List<Recommendation> recommendations) {
    List<StepOutcome> all = outcomes();
    Verdict verdict =
        interrupted
            ? Verdict.INTERRUPTED
            : !error.isEmpty()
                ? Verdict.ERROR
                : all.stream().allMatch(StepOutcome::passed) ? Verdict.PASSED : Verdict.FAILED;
    return new RunSummary(
        RunSummary.SCHEMA_VERSION,
        info.runId(),
        info.version(),
        plan.name(),
        plan.source(),
        info.target(),
        plan.attachMode(),
        info.node(),
        info.profile(),
        plan.interfacesPerPod(),
        started,
        Instant.ofEpochMilli(clock.wallTime()),
        all,
        knee(),
        verdict,
        interrupted ? "interrupted by signal" : error,
        recommendations,
        null);
  }
}
