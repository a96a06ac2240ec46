package io.kdensity.scale.engine;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.StepProbes;
import io.kdensity.probes.probe.Sweep;
import io.kdensity.reports.model.Durations;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.Latency;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.SloCheck;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.TrafficResult;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Runs a plan on a target one step at a time. {@link #next()} decides the next pod count (the ramp,
 * extra steps after a failure, then bisection of the knee); {@link #execute} runs it: scale,
 * settle, snapshot, hold with traffic, snapshot, SLOs. A failing SLO is a result; an infrastructure
 * error ends the session with verdict {@code error}.
 *
 * <pre>{@code
 * RampSession s = new RampSession(plan, target, probes, clock, progress, meters, run);
 * for (Optional<Step> n = s.next(); n.isPresent(); n = s.next()) {
 *   StepOutcome o = s.execute(n.get());
 * }
 * RunSummary summary = s.summary(recommendations);
 * }</pre>
 */
public final class RampSession {

  /** A step to run: its number, pod count, and whether bisection added it. */
  public record Step(int index, int pods, boolean bisection) {}

  /** Facts about the run that the summary carries. */
  public record RunInfo(
      String runId, String version, String target, NodeFacts node, String profile) {}

  private final Plan plan;
  private final Target target;
  private final ProbeRunner probes;
  private final Clock clock;
  private final Progress progress;
  private final StepMeters meters;
  private final RunInfo info;
  private final Optional<KernelCleanupWait> kernelCleanup;
  private final Instant started;
  private final List<StepOutcome> outcomes = new ArrayList<>();
  private int rampIndex;
  private int extraLeft = -1;
  private volatile boolean interrupted;
  private String error = "";

  public RampSession(
      Plan plan,
      Target target,
      ProbeRunner probes,
      Clock clock,
      Progress progress,
      StepMeters meters,
      RunInfo info) {
    this(plan, target, probes, clock, progress, meters, info, Optional.empty());
  }

  /**
   * @param kernelCleanup waits for the kernel to free deleted namespaces before the first step and
   *     after a scale-down, and tells which steps overlapped its work (the local target)
   */
  public RampSession(
      Plan plan,
      Target target,
      ProbeRunner probes,
      Clock clock,
      Progress progress,
      StepMeters meters,
      RunInfo info,
      Optional<KernelCleanupWait> kernelCleanup) {
    this.plan = plan;
    this.kernelCleanup = kernelCleanup;
    this.target = target;
    this.probes = probes;
    this.clock = clock;
    this.progress = progress;
    this.meters = meters;
    this.info = info;
    this.started = clock.instant();
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
    List<Integer> ramp = plan.ramp().steps();
    boolean failed = outcomes().stream().anyMatch(o -> !o.passed());
    if (failed && extraLeft < 0) {
      extraLeft =
          plan.stop().mode() == Plan.StopPolicy.Mode.CONTINUE ? plan.stop().extraSteps() : 0;
    }
    if (rampIndex < ramp.size() && (!failed || extraLeft > 0)) {
      if (failed) {
        extraLeft--;
      }
      return Optional.of(new Step(outcomes().size() + 1, ramp.get(rampIndex++), false));
    }
    if (!failed || !plan.bisect().enabled()) {
      return Optional.empty();
    }
    int[] k = kneeBounds();
    if (k[1] - k[0] <= plan.bisect().resolution()) {
      return Optional.empty();
    }
    int mid = k[0] + (k[1] - k[0]) / 2;
    if (mid <= k[0] || mid >= k[1]) {
      return Optional.empty();
    }
    return Optional.of(new Step(outcomes().size() + 1, mid, true));
  }

  /** {lastPassing, firstFailing} pod counts. */
  private int[] kneeBounds() {
    int firstFailing =
        outcomes().stream()
            .filter(o -> !o.passed())
            .mapToInt(StepOutcome::pods)
            .min()
            .orElse(Integer.MAX_VALUE);
    int lastPassing =
        outcomes().stream()
            .filter(o -> o.passed() && o.pods() < firstFailing)
            .mapToInt(StepOutcome::pods)
            .max()
            .orElse(0);
    return new int[] {lastPassing, firstFailing};
  }

  /**
   * Runs one step.
   *
   * @throws InfrastructureException if the harness cannot do its job; the session then ends
   */
  public StepOutcome execute(Step step) {
    Instant at = clock.instant();
    long t0 = System.nanoTime();
    String head =
        String.format(
            "step %02d: %d pods × %d interfaces%s",
            step.index(),
            step.pods(),
            plan.interfacesPerPod(),
            step.bisection() ? " (bisection)" : "");
    try {
      int podsBefore = target.pods();
      if (outcomes().isEmpty()) {
        kernelCleanup.ifPresent(k -> k.awaitIdle("the first step"));
      }
      progress.phase(head + ": scaling from " + podsBefore + " pods");
      ScaleResult scale = target.scaleTo(step.pods());
      if (step.pods() < podsBefore) {
        kernelCleanup.ifPresent(k -> k.awaitIdle("measuring " + step.pods() + " pods"));
      }
      long tScale = System.nanoTime();
      checkInterrupt();
      ProbeScope scope = target.scope();
      progress.phase(head + ": settling (at most " + plan.settle().toSeconds() + " s)");
      Settle.Result settled = Settle.await(scope, plan.settle());
      if (!settled.settled()) {
        progress.phase(
            head
                + ": not settled after "
                + plan.settle().toSeconds()
                + " s: "
                + settled.tentative());
      }
      long tSettle = System.nanoTime();
      int kernelBusy = kernelBusy();
      checkInterrupt();
      progress.phase(head + ": probing");
      Sweep before = probes.snapshot(scope);
      long tProbe1 = System.nanoTime();
      kernelBusy += kernelBusy();
      progress.phase(head + ": holding " + plan.hold().toSeconds() + " s with traffic");
      TrafficResult traffic = target.traffic(plan.traffic(), plan.hold());
      long tTraffic = System.nanoTime();
      kernelBusy += kernelBusy();
      checkInterrupt();
      ProbeScope after = scope.withReachability(traffic.reachability());
      Sweep end = probes.snapshot(after);
      StepProbes results = probes.evaluate(before, end, after);
      long tEnd = System.nanoTime();
      kernelBusy += kernelBusy();
      if (!results.errors().isEmpty()) {
        throw new InfrastructureException(
            "probes could not report at " + head + ": " + results.errors());
      }
      Map<String, Double> metrics = new LinkedHashMap<>(results.metrics());
      Latency attach = latency(scale.attachMicros());
      Latency ready = latency(scale.readyMicros());
      putLatency(metrics, "attach", attach);
      putLatency(metrics, "ready", ready);
      metrics.put("pods", (double) scale.pods());
      if (kernelCleanup.isPresent()) {
        metrics.put(KERNEL_NETNS_CLEANUP_BUSY, (double) kernelBusy);
      }
      metrics.put("interfaces", (double) scale.interfaces());
      metrics.put(
          "attach.failed",
          (double)
              scale.findings().stream()
                  .filter(
                      f ->
                          f.code() == FindingCode.ATTACH_FAILED
                              || f.code() == FindingCode.BRIDGE_PORT_LIMIT)
                  .count());
      List<Finding> findings = new ArrayList<>(scale.findings());
      findings.addAll(results.findings());
      List<SloCheck> slos = SloEvaluator.evaluate(plan.slos(), metrics, findings);
      findings.addAll(attachSlow(slos));
      slos = SloEvaluator.evaluate(plan.slos(), metrics, findings);
      List<Finding> stamped = findings.stream().map(f -> f.atStep(step.index())).toList();
      boolean passed = slos.stream().allMatch(SloCheck::passed);
      long probeMs = (tProbe1 - tSettle + tEnd - tTraffic) / 1_000_000;
      Durations d =
          new Durations(
              ms(tScale - t0),
              ms(tSettle - tScale),
              probeMs,
              ms(tTraffic - tProbe1),
              ms(tEnd - t0));
      Map<String, Object> snaps = new HashMap<>(end.snapshots());
      StepOutcome o =
          new StepOutcome(
              step.index(),
              scale.pods(),
              scale.interfaces(),
              step.bisection(),
              passed,
              at,
              d,
              attach,
              ready,
              metrics,
              slos,
              stamped,
              results.errors(),
              snaps);
      synchronized (outcomes) {
        outcomes.add(o);
      }
      meters.record(o);
      progress.step(line(o, head));
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
   * Step metric: at how many of the step's four measuring phases (after settle, after the first
   * sweep, after the traffic, after the second sweep) the kernel was still freeing deleted network
   * namespaces; above 0, the step's timings include the kernel's cleanup holding the rtnl lock.
   */
  public static final String KERNEL_NETNS_CLEANUP_BUSY = "kernel.netns_cleanup_busy";

  private int kernelBusy() {
    return kernelCleanup.map(k -> k.busy() ? 1 : 0).orElse(0);
  }

  private void checkInterrupt() {
    if (interrupted || Thread.currentThread().isInterrupted()) {
      throw new InfrastructureException("interrupted");
    }
  }

  /** An attach latency SLO that failed becomes an ATTACH_SLOW finding with the numbers. */
  private static List<Finding> attachSlow(List<SloCheck> slos) {
    List<Finding> out = new ArrayList<>();
    for (SloCheck c : slos) {
      if (!c.passed()
          && (c.rule().startsWith("attach.") || c.rule().startsWith("ready."))
          && !c.rule().startsWith("attach.failed")) {
        out.add(
            new Finding(
                FindingCode.ATTACH_SLOW,
                Severity.CRITICAL,
                "node",
                String.format(
                    "%s: %.0f ms, over the limit of %.0f ms",
                    c.rule().split(" ")[0], c.actual(), c.limit()),
                List.of(Evidence.observed(c.rule(), String.format("%.0f ms", c.actual())))));
      }
    }
    return out;
  }

  private String line(StepOutcome o, String head) {
    Duration elapsed = Duration.between(started, clock.instant());
    int remaining = plan.ramp().steps().size() - rampIndex;
    long avg = elapsed.toMillis() / Math.max(1, outcomes().size());
    String eta =
        o.passed() || remaining == 0
            ? Progress.clock(Duration.ofMillis(avg * remaining))
            : "bisecting";
    Map<FindingCode, Long> codes =
        outcomes().stream()
            .flatMap(x -> x.findings().stream())
            .filter(f -> f.severity() == Severity.CRITICAL)
            .collect(
                Collectors.groupingBy(Finding::code, LinkedHashMap::new, Collectors.counting()));
    String f =
        codes.isEmpty()
            ? "none"
            : codes.entrySet().stream()
                .map(e -> e.getKey() + "×" + e.getValue())
                .collect(Collectors.joining(" "));
    String attach =
        o.attach().count() == 0
            ? "no attach"
            : String.format("attach p99 %.0f ms", o.attach().p99());
    double busy = o.metrics().getOrDefault(KERNEL_NETNS_CLEANUP_BUSY, 0.0);
    return String.format(
        "%s %s  (%,d interfaces, %s)  elapsed %s  ETA %s  findings: %s%s",
        head,
        o.passed() ? "PASSED" : "FAILED",
        o.interfaces(),
        attach,
        Progress.clock(elapsed),
        eta,
        f,
        busy > 0
            ? "  [the kernel was freeing deleted namespaces during this step: its timings include that]"
            : "");
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  static Latency latency(Histogram h) {
    if (h.getTotalCount() == 0) {
      return Latency.NONE;
    }
    return new Latency(
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(90) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0);
  }

  private static void putLatency(Map<String, Double> m, String name, Latency l) {
    if (l.count() == 0) {
      return;
    }
    m.put(name + ".p50", l.p50());
    m.put(name + ".p90", l.p90());
    m.put(name + ".p99", l.p99());
    m.put(name + ".max", l.max());
  }

  /** The knee so far: the first failing pod count, narrowed by bisection; null if none failed. */
  public Knee knee() {
    List<StepOutcome> all = outcomes();
    Optional<StepOutcome> failing =
        all.stream().filter(o -> !o.passed()).min(Comparator.comparingInt(StepOutcome::pods));
    if (failing.isEmpty()) {
      return null;
    }
    int[] k = kneeBounds();
    Map<FindingCode, List<Finding>> byCode =
        failing.get().findings().stream()
            .filter(f -> f.severity() == Severity.CRITICAL)
            .collect(Collectors.groupingBy(Finding::code, LinkedHashMap::new, Collectors.toList()));
    // causes before symptoms (an overflowing table before the addresses it made unreachable),
    // then the code seen most often at the failing step
    List<Finding> limiting =
        byCode.values().stream()
            .sorted(
                Comparator.comparing((List<Finding> l) -> l.get(0).code().symptom())
                    .thenComparingInt(l -> -l.size()))
            .map(l -> l.get(0))
            .toList();
    if (limiting.isEmpty()) {
      limiting = failing.get().findings();
    }
    return new Knee(k[0], k[1], failing.get().interfaces(), limiting, k[1] - k[0]);
  }

  /** The summary of everything measured so far (also after an interruption or an error). */
  public RunSummary summary(List<Recommendation> recommendations) {
    List<StepOutcome> all = outcomes();
    String verdict =
        !error.isEmpty() && !interrupted
            ? "error"
            : interrupted
                ? "interrupted"
                : all.stream().allMatch(StepOutcome::passed) ? "passed" : "failed";
    return new RunSummary(
        RunSummary.SCHEMA_VERSION,
        info.runId(),
        info.version(),
        plan.name(),
        plan.source(),
        info.target(),
        info.node(),
        info.profile(),
        plan.interfacesPerPod(),
        started,
        clock.instant(),
        all,
        knee(),
        verdict,
        interrupted ? "interrupted by signal" : error,
        recommendations);
  }
}
