package io.kdensity.scale.run;

import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.node.LocalNodeFacts;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.ProbeRegistry;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.process.ProcessCpu;
import io.kdensity.probes.process.ProcessFootprint;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.reports.allure.AllureRunFiles;
import io.kdensity.reports.allure.AllureStepReporter;
import io.kdensity.reports.charts.Charts;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.SteadyState;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.engine.KernelCleanupWait;
import io.kdensity.scale.engine.Progress;
import io.kdensity.scale.engine.RampSession;
import io.kdensity.scale.engine.Step;
import io.kdensity.scale.engine.StepMeters;
import io.kdensity.scale.metrics.AttachStageChart;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.Soak;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.soak.Sleeper;
import io.kdensity.scale.soak.SoakCharts;
import io.kdensity.scale.soak.SoakMonitor;
import io.kdensity.scale.soak.SoakPlanner;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.kube.KubeTargets;
import io.kdensity.scale.targets.local.LocalNames;
import io.kdensity.scale.targets.local.LocalTarget;
import io.kdensity.scale.targets.local.NodeLock;
import io.kdensity.tuning.apply.Journal;
import io.kdensity.tuning.apply.ProfileApplier;
import io.kdensity.tuning.profile.Profile;
import io.micrometer.core.instrument.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * One ramp run: {@link #open} (validate, preflight, set up, apply the profile), {@link #next} and
 * {@link #execute} per step, {@link #finish} (clean up, revert, write the outputs). A shutdown hook
 * makes Ctrl-C and SIGTERM stop the run, clean up and still write what was measured.
 *
 * <p>Longer than most classes on purpose: it is the one owner of the node for the run's whole life
 * (the node lock, the applied profile, the target, the shutdown hook), so that every way a run ends
 * — the last step, an exception in set-up, Ctrl-C, SIGTERM — releases them in the same order
 * (revert the profile, then tear down, then unlock). What it delegates: the plan ({@link RunPlan}),
 * the steps ({@link RampSession}), the outputs ({@link RunOutputs}).
 */
public final class RampRun {
  /** Written into every summary: version and commit. */
  public static final String VERSION = BuildInfo.current().describe();

  /** Probe fan-out threads: probes wait on process starts and reads, not on CPU. */
  static final int PROBE_THREADS = 16;

  private final RunOptions options;
  private final Plan plan;
  private final Target target;
  private final ProbeRunner probes;
  private final RampSession session;
  private final Progress progress;
  private final NodeFacts facts;
  private final MetricsExport metrics;
  private final Optional<KernelCleanupWait> kernelCleanup;
  private ProfileApplier.Applied applied;
  private final String profileName;
  private final Clock clock;
  private final Thread hook;
  private NodeLock nodeLock;
  private final CountDownLatch finished = new CountDownLatch(1);
  private volatile Thread worker;
  private volatile RunSummary summary;
  private final SoakMonitor soak;

  private RampRun(
      RunOptions options,
      Plan plan,
      Target target,
      Progress progress,
      NodeFacts facts,
      String profileName,
      Clock clock) {
    this.options = options;
    this.clock = clock;
    this.plan = plan;
    this.target = target;
    this.progress = progress;
    this.facts = facts;
    this.profileName = profileName;
    ProbeRegistry registry = DefaultProbes.registry(plan.thresholds());
    this.probes = new ProbeRunner(registry, clock, PROBE_THREADS);
    this.metrics = MetricsExport.start(options, target.runId());
    this.kernelCleanup =
        target
            .namespaceCleanup()
            .map(c -> new KernelCleanupWait(c, progress, KernelCleanupWait.DEFAULT_AT_MOST));
    boolean soaking = options.soak() != null;
    this.soak = soaking ? new SoakMonitor(plan.soak(), plan.interfacesPerPod()) : null;
    this.session =
        new RampSession(
            plan,
            target,
            probes,
            clock,
            ProcessCpu.SELF,
            ProcessFootprint.self(),
            progress,
            new StepMeters(metrics.registry(), target.runId(), registry),
            new RampSession.RunInfo(
                target.runId(),
                VERSION,
                plan.target().type().name().toLowerCase(),
                facts,
                profileName),
            kernelCleanup,
            soaking
                ? new SoakPlanner(plan.soak(), plan.interfacesWithPrimary(), clock, Sleeper.THREAD)
                : RampSession.rampSteps(plan));
    RunOptions.Predict predict = options.predict();
    if (predict.enabled() && !soaking) {
      session.predict(predict.pods() > 0 ? predict.pods() : plan.ramp().max(), predict.only());
    }
    this.hook = new Thread(this::onSignal, "kdensity-shutdown");
  }

  /**
   * Loads the plan and everything the run needs, and prepares the node.
   *
   * @throws io.kdensity.config.yaml.ConfigException for a bad plan or profile (nothing created)
   * @throws InfrastructureException when preflight or set-up fails (nothing left behind)
   */
  public static RampRun open(RunOptions options, Progress progress) {
    RunPlan resolved = RunPlan.resolve(options);
    Plan plan = resolved.plan();
    Profile profile = resolved.profile();
    Clock clock = Clock.SYSTEM;
    Target target = createTarget(plan, LocalNodeFacts.collect(), clock);
    if (options.soak() != null) {
      Soak k = plan.soak();
      progress.step(
          "soak "
              + plan.name()
              + ": "
              + k.pods()
              + " pods × "
              + plan.interfacesPerPod()
              + " interfaces on "
              + target.describe()
              + " for "
              + Progress.clock(k.duration())
              + ", a window every "
              + Progress.clock(k.interval())
              + ", churn "
              + k.churn()
              + ", link flap "
              + k.linkFlap()
              + (k.leakFault() > 0
                  ? ", TEST FAULT: CNI DEL skipped for "
                      + Math.round(k.leakFault() * 100)
                      + "% of churned pods"
                  : "")
              + (profile == null ? "" : ", profile " + profile.name()));
    } else {
      progress.step(
          "plan "
              + plan.name()
              + ": "
              + plan.ramp().steps().size()
              + " steps up to "
              + plan.ramp().max()
              + " pods × "
              + plan.interfacesPerPod()
              + " interfaces on "
              + target.describe()
              + (profile == null ? "" : ", profile " + profile.name()));
    }
    NodeLock lock =
        plan.target().type() == TargetSpec.Type.LOCAL
            ? NodeLock.acquire(
                NodeLock.defaultDir(),
                NodeLock.Holder.run(
                    target.runId(), plan.name(), Instant.ofEpochMilli(clock.wallTime())))
            : null;
    RampRun run;
    try {
      if (profile != null) {
        // pod sysctls are configuration, known before anything exists: preflight checks them
        Map<String, String> pod = new LinkedHashMap<>();
        profile.podSysctl().forEach((k, s) -> pod.put(k, s.value()));
        target.setPodSysctls(pod);
      }
      target.preflight().forEach(w -> progress.step("preflight warning: " + w));
      run =
          new RampRun(
              options,
              plan,
              target,
              progress,
              target.facts(),
              profile == null ? "" : profile.name(),
              clock);
    } catch (RuntimeException e) {
      if (lock != null) {
        lock.close();
      }
      throw e;
    }
    run.nodeLock = lock;
    Runtime.getRuntime().addShutdownHook(run.hook);
    try {
      prepareOutput(options.out());
      run.kernelCleanup.ifPresent(k -> k.awaitIdle("setting up the node"));
      target.setUp();
      if (run.soak != null
          && plan.soak().leakFault() > 0
          && !target.skipCniDel(plan.soak().leakFault())) {
        throw new InfrastructureException(
            "--inject-leak needs the local target attaching with CNI (it skips CNI DEL)");
      }
      if (profile != null) {
        ProfileApplier applier =
            new ProfileApplier(
                target.nodeAccess(), Journal.defaultDir(), clock, ProfileProgress.of(progress));
        run.applied = applier.apply(profile);
        ProfileProgress.advice(profile, progress);
      }
    } catch (RuntimeException e) {
      try {
        run.releaseNode();
      } finally {
        run.closeLock();
        run.removeHook();
      }
      throw e instanceof InfrastructureException
          ? e
          : new InfrastructureException(e.getMessage(), e);
    }
    return run;
  }

  private static Target createTarget(Plan plan, NodeFacts facts, Clock clock) {
    if (plan.target().type() == TargetSpec.Type.LOCAL) {
      return new LocalTarget(plan, LocalNames.random(), new LocalShell(clock), facts, clock);
    }
    return KubeTargets.create(plan, facts, clock);
  }

  /** Keeps the previous report's history for Allure trends; clears old results. */
  private static void prepareOutput(Path out) {
    try {
      Path results = out.resolve("allure-results");
      if (Files.isDirectory(results)) {
        try (var s = Files.walk(results)) {
          s.sorted(Comparator.reverseOrder())
              .filter(p -> !p.equals(results))
              .forEach(p -> p.toFile().delete());
        }
      }
      Files.createDirectories(results);
      AllureRunFiles.carryHistory(out.resolve("allure-report"), results);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + out + ": " + e.getMessage(), e);
    }
  }

  public Plan plan() {
    return plan;
  }

  public RunOptions options() {
    return options;
  }

  public Optional<Step> next() {
    return session.next();
  }

  /** Runs a step and adds its results to the running Allure test. */
  public StepOutcome execute(Step step) {
    worker = Thread.currentThread();
    StepOutcome o = session.execute(step);
    Map<String, byte[]> charts;
    if (soak != null && step.window() != null) {
      progress.step(soak.record(step, o));
      charts = SoakCharts.of(soak.report());
    } else {
      Map<String, byte[]> ramp =
          new LinkedHashMap<>(Charts.ramp(session.outcomes(), session.knee()));
      AttachStageChart.of(session.outcomes())
          .ifPresent(png -> ramp.put(AttachStageChart.FILE_NAME, png));
      charts = ramp;
    }
    new AllureStepReporter()
        .report(
            o,
            Map.of(
                "epic",
                "plan " + plan.name(),
                "feature",
                "target " + plan.target().type().name().toLowerCase(),
                "story",
                profileName.isEmpty() ? "no profile" : "profile " + profileName),
            charts);
    return o;
  }

  /**
   * Measures a steady-state ramp's burst tolerance, then cleans up, reverts the profile and writes
   * every output. Idempotent; returns the summary.
   */
  public synchronized RunSummary finish() {
    if (summary != null) {
      return summary;
    }
    try {
      worker = Thread.currentThread();
      Optional<SteadyState> steady = soak == null ? session.steadyState() : Optional.empty();
      releaseNode();
      Optional<Prediction> prediction = soak == null ? session.prediction() : Optional.empty();
      List<Recommendation> recs = recommendations(prediction.orElse(null));
      summary = session.summary(recs);
      if (steady.isPresent()) {
        summary = summary.withSteady(steady.get());
      }
      if (prediction.isPresent()) {
        summary = summary.withPrediction(prediction.get());
      }
      if (soak != null) {
        summary = summary.withSoak(soak.report());
      }
      new RunOutputs(options.out(), progress)
          .write(summary, recs, target.runId(), plan.name(), profileName);
      return summary;
    } finally {
      probes.close();
      metrics.close();
      closeLock();
      finished.countDown();
      removeHook();
    }
  }

  private List<Recommendation> recommendations(Prediction prediction) {
    return Recommendations.of(
        session.outcomes(),
        session.knee(),
        // sized for the density the model predicted for (predict --pods), else the plan's
        soak != null
            ? plan.soak().pods()
            : prediction != null ? prediction.pods() : plan.ramp().max(),
        plan.interfacesWithPrimary(),
        facts.logicalCpus(),
        soak == null ? List.of() : soak.findings(),
        prediction);
  }

  /**
   * Removes the run's pods, restores the profile's values, then removes the rest of what the run
   * created. In this order: restoring a lower limit (gc_thresh3) under a table the pods still fill
   * would overflow it on a live node; and on a cluster the values are written through the probe
   * DaemonSet the teardown deletes. A run interrupted (Ctrl-C) or kept in place restores at once.
   */
  private void releaseNode() {
    boolean keep = keepsNode();
    try {
      if (applied != null && !keep && !session.interrupted() && target.pods() > 0) {
        progress.phase("removing the pods before the profile is restored");
        try {
          target.scaleTo(0);
        } catch (RuntimeException e) {
          progress.step("could not remove the pods first (" + e.getMessage() + "): restoring now");
        }
      }
      if (applied != null) {
        List<String> left = applied.revert();
        progress.phase(
            left.isEmpty()
                ? "profile values restored"
                : "could not restore: " + left + " — run `kdensity profile revert`");
      }
    } finally {
      if (!keep) {
        progress.phase("cleaning up " + target.describe());
        target.close();
        kernelCleanup.ifPresent(k -> k.awaitIdle("ending the run"));
      } else {
        progress.step(
            "cleanup policy "
                + plan.cleanup()
                + ": leaving "
                + target.describe()
                + " in place; remove it with `kdensity cleanup`");
      }
    }
  }

  /** Whether the plan's cleanup policy leaves the node as the run made it. */
  private boolean keepsNode() {
    return plan.cleanup() == Plan.Cleanup.NEVER
        || (plan.cleanup() == Plan.Cleanup.ON_SUCCESS
            && session.outcomes().stream().anyMatch(o -> !o.passed())
            && !session.interrupted());
  }

  private void onSignal() {
    if (finished.getCount() == 0) {
      return;
    }
    progress.step("interrupted: stopping, cleaning up and writing what was measured");
    session.interrupt();
    target.abort();
    Thread w = worker;
    if (w != null) {
      w.interrupt();
    }
    try {
      if (!finished.await(30, TimeUnit.SECONDS)) {
        finish();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      progress.step(
          "cleanup after interrupt failed: "
              + e.getMessage()
              + " — run `kdensity cleanup` and `kdensity profile revert`");
    }
  }

  private void closeLock() {
    if (nodeLock != null) {
      nodeLock.close();
      nodeLock = null;
    }
  }

  private void removeHook() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running
    }
  }

  public RampSession session() {
    return session;
  }
}
