package io.kdensity.scale.engine;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.MetricValues;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.StepProbes;
import io.kdensity.probes.probe.Sweep;
import io.kdensity.probes.process.ProcessCpu;
import io.kdensity.probes.process.ProcessFootprint;
import io.kdensity.reports.model.Durations;
import io.kdensity.reports.model.Latency;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.metrics.EngineMetrics;
import io.kdensity.scale.metrics.NodeCondition;
import io.kdensity.scale.metrics.SoakMetrics;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.FlapResult;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.TrafficResult;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * Runs one step on a target: scale, settle, snapshot, hold with traffic, snapshot, evaluate the
 * probes and the SLOs. Each phase is timed with the run's monotonic clock. A failed SLO is part of
 * the outcome; a harness failure is an {@link InfrastructureException}.
 */
final class StepExecutor {
  private final Plan plan;
  private final Target target;
  private final ProbeRunner probes;
  private final Clock clock;
  private final Progress progress;
  private final Optional<KernelCleanupWait> kernelCleanup;
  private final Settle settle;
  private final BooleanSupplier interrupted;
  private final LossDiagnosis diagnosis;
  private final ProcessCpu cpu;
  private final ProcessFootprint footprint;
  private final SteadyHold steadyHold;

  /**
   * The previous step's last sweep: its neighbour counters end where this step's bring-up starts.
   */
  private Sweep lastEnd;

  /** The pods of the previous step's scope, by name: settled already. */
  private Set<String> podsSettled = Set.of();

  /**
   * @param cpu this process's CPU and its reaped children's, read at each phase boundary: the
   *     attaching processes' CPU is the children's in the scale phase, the harness's is the JVM's
   *     plus the children's while settling and probing
   * @param steadyHold holds a failing step in a steady-state ramp (the session's, which the burst
   *     search uses too)
   */
  StepExecutor(
      Plan plan,
      Target target,
      ProbeRunner probes,
      Clock clock,
      ProcessCpu cpu,
      ProcessFootprint footprint,
      Progress progress,
      Optional<KernelCleanupWait> kernelCleanup,
      SteadyHold steadyHold,
      BooleanSupplier interrupted) {
    this.plan = plan;
    this.target = target;
    this.probes = probes;
    this.clock = clock;
    this.cpu = cpu;
    this.footprint = footprint;
    this.progress = progress;
    this.kernelCleanup = kernelCleanup;
    this.settle = new Settle(plan.thresholds().ipLoss(), clock);
    this.interrupted = interrupted;
    this.diagnosis = new LossDiagnosis(target::pingPath);
    this.steadyHold = steadyHold;
  }

  /** Phase 1's result: the pods (or a window's churn and flap) and the CPU read around it. */
  private record Scaled(
      Instant at,
      long t0,
      long tScale,
      ScaleResult scale,
      FlapResult flap,
      ProcessCpu.Times cpu0,
      ProcessCpu.Times scaling) {}

  /** Phase 2's result: the scope to probe, and whether its new addresses settled. */
  private record Settled(ProbeScope scope, Settle.Result result, long tSettle) {}

  /** Phases 3 and 4: the probes before and after the hold with traffic, with their timings. */
  private record Measured(
      Sweep end,
      StepProbes results,
      ProbeScope scope,
      long tProbe1,
      long tTraffic,
      long tEnd,
      ProcessCpu.Times traffic,
      int kernelBusy,
      Map<BringUpCounter, Long> bringUp) {}

  /**
   * Runs the step's phases in order: scale, settle, probe, hold with traffic and probe again,
   * evaluate. In a steady-state ramp a step that failed is held with its traffic ({@link
   * SteadyHold}) and probed and evaluated again, and that second evaluation is its outcome.
   *
   * @param first whether this is the session's first step (the kernel may still be freeing the
   *     namespaces of a previous run)
   */
  StepOutcome execute(Step step, boolean first) {
    String head = step.title(plan.interfacesPerPod());
    Scaled scaled = scale(step, head, first);
    checkInterrupt();
    Settled settled = settle(head, scaled.scale());
    checkInterrupt();
    // the bring-up counters run from the previous step's last probe to the measurement that counts
    Sweep since = lastEnd;
    Measured measured = probeAndHold(head, settled.scope(), since);
    StepOutcome outcome = evaluate(step, scaled, settled, measured, null);
    if (!outcome.passed() && plan.steady().enabled() && step.window() == null) {
      Duration length = steadyHold.length(settled.scope());
      SteadyHold.Held held = steadyHold.hold(head, length);
      checkInterrupt();
      measured = probeAndHold(head, settled.scope(), since);
      outcome = evaluate(step, scaled, settled, measured, new Steadied(held, outcome));
    }
    lastEnd = measured.end();
    return outcome;
  }

  /** A step held in steady state after its first evaluation failed. */
  private record Steadied(SteadyHold.Held held, StepOutcome atOnce) {
    String note() {
      List<String> codes =
          atOnce.findings().stream()
              .filter(f -> f.severity() == Severity.CRITICAL)
              .map(f -> f.code().toString())
              .distinct()
              .toList();
      return String.format(
          "failed at once (%s); held %d s in steady state with its traffic (%d %s) and"
              + " measured again: this is that measurement",
          codes.isEmpty() ? "SLOs" : String.join(", ", codes),
          held.length().toSeconds(),
          held.sweeps(),
          held.sweeps() == 1 ? "sweep" : "sweeps");
    }
  }

  /** Phase 1: scale to the step's pods, or churn and flap a soak window's share. */
  private Scaled scale(Step step, String head, boolean first) {
    Instant at = Instant.ofEpochMilli(clock.wallTime());
    long t0 = clock.monotonicTime();
    int podsBefore = target.pods();
    if (first) {
      kernelCleanup.ifPresent(k -> k.awaitIdle("the first step"));
    }
    ProcessCpu.Times cpu0 = cpu.read();
    ScaleResult scale;
    FlapResult flap = FlapResult.none(0, "");
    Step.Window window = step.window();
    if (window == null) {
      progress.phase(head + ": scaling from " + podsBefore + " pods");
      scale = target.scaleTo(step.pods());
    } else {
      progress.phase(
          head
              + (window.churn() > 0
                  ? ": churning " + window.churn() + " pods"
                  : ": no churn due in this window"));
      scale = target.churn(window.churn(), step.index());
      // a churned pod keeps its name: every pod's addresses are looked at again
      podsSettled = Set.of();
    }
    ProcessCpu.Times scaling = cpu.read().minus(cpu0);
    if (window != null && window.flap() > 0) {
      progress.phase(head + ": flapping " + window.flap() + " links");
      flap = target.flap(window.flap(), plan.soak().linkDown(), step.index());
    }
    if (step.pods() < podsBefore) {
      kernelCleanup.ifPresent(k -> k.awaitIdle("measuring " + step.pods() + " pods"));
    }
    return new Scaled(at, t0, clock.monotonicTime(), scale, flap, cpu0, scaling);
  }

  /** Phase 2: wait until this step's new addresses are no longer tentative. */
  private Settled settle(String head, ScaleResult scale) {
    ProbeScope scope = target.scope();
    progress.phase(head + ": settling (at most " + plan.settle().toSeconds() + " s)");
    // only this step's new pods can be tentative; the node's datapath is looked at whole
    List<PodView> created =
        scope.pods().stream().filter(p -> !podsSettled.contains(p.name())).toList();
    Settle.Result settled = settle.await(scope.withPods(created), plan.settle());
    podsSettled = scope.pods().stream().map(PodView::name).collect(Collectors.toSet());
    if (scale.stages() != null) {
      scale.stages().settled();
    }
    if (!settled.settled()) {
      progress.phase(head + ": " + tentativeNote(settled));
    }
    return new Settled(scope, settled, clock.monotonicTime());
  }

  /** Phases 3 and 4: snapshot every probe, hold with bounded traffic, snapshot and evaluate. */
  private Measured probeAndHold(String head, ProbeScope scope, Sweep since) {
    int kernelBusy = kernelBusy();
    progress.phase(head + ": probing");
    Sweep before = probes.snapshot(scope);
    long tProbe1 = clock.monotonicTime();
    Map<BringUpCounter, Long> bringUp = new EnumMap<>(BringUpCounter.class);
    if (since != null) {
      for (BringUpCounter c : BringUpCounter.values()) {
        bringUp.put(c, c.between(since, before));
      }
    }
    kernelBusy += kernelBusy();
    progress.phase(head + ": holding " + plan.hold().toSeconds() + " s with traffic");
    ProcessCpu.Times cpuTraffic0 = cpu.read();
    TrafficResult traffic = target.traffic(plan.traffic(), plan.hold());
    ProcessCpu.Times cpuTraffic = cpu.read().minus(cpuTraffic0);
    long tTraffic = clock.monotonicTime();
    kernelBusy += kernelBusy();
    checkInterrupt();
    ProbeScope after = scope.withReachability(traffic.reachability());
    Sweep end = probes.snapshot(after);
    StepProbes results = probes.evaluate(before, end, after);
    long tEnd = clock.monotonicTime();
    kernelBusy += kernelBusy();
    if (!results.errors().isEmpty()) {
      throw new InfrastructureException(
          "probes could not report at " + head + ": " + results.errors());
    }
    return new Measured(
        end, results, after, tProbe1, tTraffic, tEnd, cpuTraffic, kernelBusy, bringUp);
  }

  /** Phase 5: the step's metrics, notes, findings and SLO checks. */
  private StepOutcome evaluate(
      Step step, Scaled scaled, Settled settled, Measured measured, Steadied steadied) {
    ScaleResult scale = scaled.scale();
    List<String> notes = new ArrayList<>(scaled.flap().notes());
    if (steadied != null) {
      notes.add(steadied.note());
    }
    if (!settled.result().settled()) {
      notes.add(tentativeNote(settled.result()));
    }
    Latency attach = scale.attachLatency();
    Latency ready = scale.readyLatency();
    MetricValues engine = engineMetrics(step, scaled, measured, attach, ready, notes);
    if (plan.steady().enabled() && step.window() == null) {
      engine.put(
          EngineMetrics.STEADY_HELD,
          steadied == null ? 0 : steadied.held().length().toMillis() / 1000.0);
    }
    notes.addAll(measured.results().notes());
    Map<String, Double> metrics = new LinkedHashMap<>(measured.results().metrics());
    metrics.putAll(engine.toMap());
    List<Finding> found = new ArrayList<>(scale.findings());
    found.addAll(measured.results().findings());
    measured
        .bringUp()
        .forEach(
            (counter, n) -> {
              if (n > 0) {
                found.add(counter.warning(n, scale.pods()));
              }
            });
    List<Finding> findings = new ArrayList<>(diagnosis.diagnose(found, metrics));
    SloEvaluator.Evaluation slos = SloEvaluator.evaluate(plan.slos(), metrics, findings);
    findings.addAll(slos.derived());
    List<Finding> stamped = findings.stream().map(f -> f.atStep(step.index())).toList();
    long t0 = scaled.t0();
    Durations d =
        new Durations(
            ms(scaled.tScale() - t0),
            ms(settled.tSettle() - scaled.tScale()),
            ms(measured.tProbe1() - settled.tSettle() + measured.tEnd() - measured.tTraffic()),
            ms(measured.tTraffic() - measured.tProbe1()),
            ms(measured.tEnd() - t0),
            ms(measured.tProbe1() - settled.tSettle()),
            scale.orchestration().toMillis(),
            settled.result().polling().toMillis());
    return new StepOutcome(
        step.index(),
        scale.pods(),
        scale.interfaces(),
        step.bisection(),
        slos.passed(),
        scaled.at(),
        d,
        attach,
        ready,
        metrics,
        slos.checks(),
        stamped,
        measured.results().errors(),
        notes,
        new HashMap<>(measured.end().snapshots()));
  }

  /** The engine's own metrics of a step (latencies, pods, CPU, objects, node conditions). */
  private MetricValues engineMetrics(
      Step step,
      Scaled scaled,
      Measured measured,
      Latency attach,
      Latency ready,
      List<String> notes) {
    ScaleResult scale = scaled.scale();
    ProbeScope scope = measured.scope();
    MetricValues engine = new MetricValues();
    putLatency(engine, EngineMetrics.ATTACH, attach);
    putLatency(engine, EngineMetrics.READY, ready);
    AttachStages stages = scale.stages();
    if (stages != null) {
      putLatency(engine, EngineMetrics.STAGE_SANDBOX, stages.sandbox());
      putLatency(engine, EngineMetrics.STAGE_FIRST_INTERFACE, stages.firstInterface());
      stages.adds().forEach((p, l) -> putLatency(engine, EngineMetrics.STAGE_ADD.get(p), l));
      stages.ipams().forEach((p, l) -> putLatency(engine, EngineMetrics.STAGE_IPAM.get(p), l));
      putLatency(engine, EngineMetrics.STAGE_NETWORK_STATUS, stages.networkStatus());
      putLatency(engine, EngineMetrics.STAGE_DAD, stages.dad());
      putLatency(engine, EngineMetrics.STAGE_USABLE, stages.usableAfterAttach());
      putLatency(engine, EngineMetrics.STAGE_FIRST_ANSWER, stages.firstAnswer());
      putLatency(engine, EngineMetrics.STAGE_NEIGHBOUR, stages.neighbourResolution());
    }
    engine.put(EngineMetrics.PODS, scale.pods());
    engine.put(EngineMetrics.PODS_UNINSPECTED, scope.uninspected().size());
    if (!scope.uninspected().isEmpty()) {
      notes.add(
          scope.uninspected().size()
              + " pods could not be inspected, their addresses were not checked: "
              + scope.uninspected().entrySet().stream()
                  .sorted(Map.Entry.comparingByKey())
                  .limit(10)
                  .map(e -> e.getKey() + " (" + e.getValue() + ")")
                  .collect(Collectors.joining(", "))
              + (scope.uninspected().size() > 10 ? ", …" : ""));
    }
    engine.put(EngineMetrics.INTERFACES, scale.interfaces());
    measured.bringUp().forEach((counter, n) -> engine.put(counter.metric(), n));
    Step.Window window = step.window();
    if (window == null) {
      // a window's scale phase deletes and creates: its CPU is not what attaching alone costs
      putAttachCpu(engine, scale, scaled.scaling());
    }
    // everything but what attached (children while scaling) and what made the traffic (children
    // of the hold: the agents and pings): the JVM all step, its children while settling and probing
    ProcessCpu.Times cpuStep = cpu.read().minus(scaled.cpu0());
    Duration harnessCpu =
        cpuStep
            .self()
            .plus(cpuStep.children())
            .minus(scaled.scaling().children())
            .minus(measured.traffic().children());
    engine.put(EngineMetrics.HARNESS_CPU, Math.max(0, harnessCpu.toMillis()) / 1000.0);
    engine.put(
        EngineMetrics.ATTACH_FAILED,
        scale.findings().stream().filter(StepExecutor::attachFailure).count());
    if (kernelCleanup.isPresent()) {
      engine.put(EngineMetrics.KERNEL_NETNS_CLEANUP_BUSY, measured.kernelBusy());
      if (measured.kernelBusy() > 0) {
        notes.add(
            "the kernel was freeing deleted network namespaces at "
                + measured.kernelBusy()
                + " of 4 measuring phases: this step's timings include its rtnl lock");
      }
    }
    if (window != null) {
      engine.put(SoakMetrics.CHURNED, window.churn());
      engine.put(SoakMetrics.FLAPPED, scaled.flap().flapped());
    }
    target.objectCounts().forEach((o, n) -> engine.put(o.metric(), n));
    Map<NodeCondition, Boolean> conditions = target.nodeConditions();
    conditions.forEach((c, on) -> engine.put(c.metric(), on ? 1 : 0));
    List<String> unhealthy =
        conditions.entrySet().stream()
            .filter(e -> !e.getKey().healthy(e.getValue()))
            .map(e -> e.getKey().type() + (e.getValue() ? "" : " false"))
            .toList();
    if (!unhealthy.isEmpty()) {
      notes.add(
          "the kubelet reports the node "
              + String.join(", ", unhealthy)
              + ": a knee here may be the kubelet's, not the datapath's");
    }
    engine.putAll(footprint.read());
    return engine;
  }

  private String tentativeNote(Settle.Result settled) {
    return "addresses still tentative after the settle time ("
        + plan.settle().toSeconds()
        + " s): "
        + String.join(", ", settled.tentative());
  }

  /**
   * Attach throughput against what the CPU allows: interfaces per second of the scale phase, and
   * the cores divided by the attaching processes' CPU per interface. Only where those processes are
   * this JVM's children and the step attached something.
   */
  private void putAttachCpu(MetricValues m, ScaleResult scale, ProcessCpu.Times scaling) {
    long attached = scale.attachMicros().getTotalCount();
    double seconds = scale.elapsed().toNanos() / 1e9;
    if (attached == 0 || seconds <= 0) {
      return;
    }
    double rate = attached / seconds;
    m.put(EngineMetrics.ATTACH_RATE, rate);
    double cpuPerInterface = scaling.children().toNanos() / 1e9 / attached;
    if (!target.attachesInChildProcesses() || cpuPerInterface <= 0) {
      return;
    }
    double limit = cpu.cores() / cpuPerInterface;
    double coreSeconds = cpu.cores() * seconds;
    m.put(EngineMetrics.ATTACH_CPU_PER_INTERFACE, cpuPerInterface * 1000);
    m.put(EngineMetrics.ATTACH_RATE_LIMIT, limit);
    m.put(EngineMetrics.ATTACH_EFFICIENCY, rate / limit);
    m.put(EngineMetrics.ATTACH_HARNESS_SHARE, scaling.self().toNanos() / 1e9 / coreSeconds);
    m.put(EngineMetrics.ATTACH_IDLE_SHARE, scaling.machineIdle().toNanos() / 1e9 / coreSeconds);
  }

  /** Attachments that failed, whatever bottleneck made them fail. */
  private static boolean attachFailure(Finding f) {
    return f.code() == FindingCode.ATTACH_FAILED || f.cause() == Cause.BRIDGE_FULL;
  }

  private int kernelBusy() {
    return kernelCleanup.map(k -> k.busy() ? 1 : 0).orElse(0);
  }

  private void checkInterrupt() {
    if (interrupted.getAsBoolean() || Thread.currentThread().isInterrupted()) {
      throw new InfrastructureException("interrupted");
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private static void putLatency(MetricValues m, EngineMetrics.Latency names, Latency l) {
    if (l.count() == 0) {
      return;
    }
    m.put(names.p50(), l.p50());
    m.put(names.p90(), l.p90());
    m.put(names.p99(), l.p99());
    m.put(names.max(), l.max());
  }
}
