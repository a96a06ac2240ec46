package io.kdensity.scale.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.process.ProcessCpu;
import io.kdensity.reports.model.BurstTolerance;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.SteadyState;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RampSessionTest {
  private final ProbeRunner probes =
      new ProbeRunner(DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT), Clock.SYSTEM, 2);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  @AfterEach
  void close() {
    probes.close();
  }

  private RampSession session(String planYaml, FakeTarget t) {
    return session(planYaml, t, ProcessCpu.SELF);
  }

  private RampSession session(String planYaml, FakeTarget t, ProcessCpu cpu) {
    Plan plan = PlanLoader.parse(planYaml, "test.yaml");
    return new RampSession(
        plan,
        t,
        probes,
        Clock.SYSTEM,
        cpu,
        Progress.SILENT,
        new StepMeters(registry, "fake01", probes.registry()),
        new RampSession.RunInfo("fake01", "test", "fake", NodeFacts.UNKNOWN, ""),
        Optional.empty());
  }

  private static List<StepOutcome> runAll(RampSession s) {
    List<StepOutcome> out = new ArrayList<>();
    for (Optional<Step> n = s.next(); n.isPresent(); n = s.next()) {
      out.add(s.execute(n.get()));
    }
    return out;
  }

  @Test
  @DisplayName("stops at the first failing step and bisects the knee down to the resolution")
  void findsAndBisectsTheKnee() {
    FakeTarget t = new FakeTarget(37);
    RampSession s =
        session(
            "name: t\nsettle: 0s\nhold: 0s\nramp: {start: 10, step: 10, max: 100}\nbisect: {resolution: 1}\n",
            t);
    List<StepOutcome> steps = runAll(s);

    assertThat(t.scaledTo).containsExactly(10, 20, 30, 40, 35, 37, 36);
    assertThat(steps)
        .extracting(StepOutcome::passed)
        .containsExactly(true, true, true, false, true, false, true);
    assertThat(steps)
        .extracting(StepOutcome::bisection)
        .containsExactly(false, false, false, false, true, true, true);
    Knee knee = s.knee();
    assertThat(knee.lastPassingPods()).isEqualTo(36);
    assertThat(knee.firstFailingPods()).isEqualTo(37);
    assertThat(knee.interfaces()).isEqualTo(37 * 6);
    assertThat(knee.limiting())
        .extracting(f -> f.code())
        .containsExactly(FindingCode.NEIGH_TABLE_OVERFLOW);
    assertThat(knee.limiting().get(0).step()).isEqualTo(6);
    RunSummary sum = s.summary(List.of());
    assertThat(sum.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(sum.steps()).hasSize(7);
    StepOutcome fail = steps.get(3);
    assertThat(fail.metrics()).containsEntry("neigh.v6.table_fulls", 4.0);
    // HdrHistogram keeps 3 significant digits
    assertThat(fail.metrics().get("attach.p50"))
        .isCloseTo(1500.0, org.assertj.core.api.Assertions.within(1.5));
    assertThat(fail.metrics().get("ready.p99"))
        .isCloseTo(9000.0, org.assertj.core.api.Assertions.within(9.0));
    assertThat(fail.slos())
        .filteredOn(c -> !c.passed())
        .extracting(c -> c.rule())
        .containsExactly("NEIGH_TABLE_OVERFLOW ≤ 0");
  }

  @Test
  @DisplayName(
      "a steady-state ramp holds a step that failed at once and measures it again: a step that"
          + " overflowed only with its bring-up's entries pinned passes, and the knee is where the"
          + " steady traffic overflows")
  void aSteadyStateRampHoldsFailingStepsAndMeasuresThemAgain() {
    String ramp =
        "settle: 0s\nhold: 0s\nramp: {start: 10, step: 10, max: 100}\nbisect: {resolution: 1}\n";
    // each pod added pins one more pod's worth of entries until its first sweep is over
    FakeTarget plainNode = new FakeTarget(37).pinningBringUp(1.0);
    RampSession plain = session("name: t\n" + ramp, plainNode);
    runAll(plain);
    FakeTarget steadyNode = new FakeTarget(37).pinningBringUp(1.0);
    RampSession steady =
        session("name: t\nsteady: {enabled: true, hold: 1ms}\n" + ramp, steadyNode);
    List<StepOutcome> steps = runAll(steady);

    // at 30 pods the first sweep counts 30 + 10 new pods' pins (40 > 37): a plain ramp stops there
    assertThat(plain.knee().firstFailingPods()).isEqualTo(30);
    assertThat(plainNode.scaledTo).containsExactly(10, 20, 30, 25, 27, 28, 29);
    assertThat(steadyNode.scaledTo).containsExactly(10, 20, 30, 40, 35, 37, 36);
    assertThat(steps)
        .extracting(StepOutcome::passed)
        .containsExactly(true, true, true, false, true, false, true);
    assertThat(steady.knee().firstFailingPods()).isEqualTo(37);
    assertThat(steady.knee().lastPassingPods()).isEqualTo(36);
    // held only where the first measurement failed: 30, 40, 37
    assertThat(steps)
        .extracting(o -> o.metrics().get("steady.held") > 0)
        .containsExactly(false, false, true, true, false, true, false);
    StepOutcome thirty = steps.get(2);
    // as many sweeps as fit in the 1 ms hold on this machine's clock
    assertThat(thirty.notes())
        .anyMatch(
            n ->
                n.matches(
                    "failed at once \\(NEIGH_TABLE_OVERFLOW\\); held 0 s in steady state with its"
                        + " traffic \\(\\d+ sweeps?\\) and measured again: this is that measurement"));
    // the first sweep's refusals (40 - 37 + 1) are the bring-up's: a warning, not the verdict
    assertThat(thirty.metrics())
        .containsEntry("bringup.neigh.table_fulls", 4.0)
        .containsEntry("neigh.v6.table_fulls", 0.0);
    assertThat(steps.get(3).metrics()).containsEntry("neigh.v6.table_fulls", 4.0);
    assertThat(plain.summary(List.of()).steps())
        .allSatisfy(o -> assertThat(o.metrics()).doesNotContainKey("steady.held"));
  }

  @Test
  @DisplayName(
      "after a steady-state ramp, the burst tolerance at its capacity: bursts bisected on the"
          + " resolution, each from a node held in steady state")
  void theBurstToleranceIsBisectedAtTheSteadyStateCapacity() {
    FakeTarget t = new FakeTarget(137).pinningBringUp(0.25);
    RampSession s =
        session(
            "name: t\nsettle: 0s\nhold: 0s\nsteady: {enabled: true, hold: 1ms}\n"
                + "ramp: {start: 20, step: 20, max: 200}\nbisect: {resolution: 10}\n",
            t);
    runAll(s);
    assertThat(s.knee().firstFailingPods()).isEqualTo(140);
    t.scaledTo.clear();

    SteadyState st = s.steadyState().orElseThrow();

    assertThat(st.holdSeconds()).isZero();
    BurstTolerance b = st.burst();
    // a burst of B pods to 130 counts 130 + B/4 on its first sweep: 27 pods fit, 28 do not
    assertThat(b.density()).isEqualTo(130);
    assertThat(b.tolerated()).isEqualTo(20);
    assertThat(b.overflowed()).isEqualTo(30);
    assertThat(b.tries())
        .extracting(
            BurstTolerance.Try::from, BurstTolerance.Try::burst, BurstTolerance.Try::refused)
        .containsExactly(
            tuple(70, 60, 9L), tuple(100, 30, 1L), tuple(120, 10, 0L), tuple(110, 20, 0L));
    assertThat(t.scaledTo).containsExactly(70, 130, 100, 130, 120, 130, 110, 130);
  }

  @Test
  @DisplayName("a plain ramp has no steady state and measures no burst")
  void aPlainRampHasNoSteadyState() {
    FakeTarget t = new FakeTarget(37);
    RampSession s = session("name: t\nsettle: 0s\nhold: 0s\nramp: {steps: [10, 40]}\n", t);
    runAll(s);
    int sweeps = t.sweeps;

    assertThat(s.steadyState()).isEmpty();
    assertThat(t.sweeps).isEqualTo(sweeps);
  }

  @Test
  @DisplayName(
      "entries refused while a step's pods come up are counted for that step and warned about,"
          + " without moving the knee (the step's own probes start after the bring-up)")
  void aBringUpBurstIsCountedInItsStep() {
    FakeTarget t = new FakeTarget(1000).refusingBringUpFrom(20);
    RampSession s = session("name: t\nsettle: 0s\nhold: 0s\nramp: {steps: [10, 20, 30]}\n", t);
    List<StepOutcome> steps = runAll(s);

    assertThat(steps).extracting(StepOutcome::passed).containsExactly(true, true, true);
    // the first step has no earlier probe to count from
    assertThat(steps.get(0).metrics()).doesNotContainKey("bringup.neigh.table_fulls");
    assertThat(steps.subList(1, 3))
        .extracting(o -> o.metrics().get("bringup.neigh.table_fulls"))
        .containsExactly(10.0, 10.0);
    assertThat(steps).extracting(o -> o.metrics().get("neigh.v6.table_fulls")).containsOnly(0.0);
    assertThat(steps.get(1).findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(FindingCode.NEIGH_TABLE_OVERFLOW);
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.message())
                  .isEqualTo(
                      "the neighbour tables refused 10 entries between the previous step's last"
                          + " probe and this step's first, while the pods were brought to 20 and"
                          + " settled");
            });
    assertThat(s.knee()).isNull();
  }

  @Test
  @DisplayName(
      "packets the backlogs dropped while a step's pods came up are counted for that step and warned about, without moving the knee")
  void bringUpBacklogDropsAreCountedInTheirStep() {
    FakeTarget t = new FakeTarget(1000).droppingAtBringUpFrom(20);
    RampSession s = session("name: t\nsettle: 0s\nhold: 0s\nramp: {steps: [10, 20, 30]}\n", t);
    List<StepOutcome> steps = runAll(s);

    assertThat(steps).extracting(StepOutcome::passed).containsExactly(true, true, true);
    assertThat(steps.get(0).metrics()).doesNotContainKey("bringup.softnet.dropped");
    assertThat(steps.subList(1, 3))
        .extracting(o -> o.metrics().get("bringup.softnet.dropped"))
        .containsExactly(1000.0, 1000.0);
    assertThat(steps).extracting(o -> o.metrics().get("softnet.dropped")).containsOnly(0.0);
    assertThat(steps.get(2).findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(FindingCode.SOFTNET_DROPS);
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.origin()).isEqualTo("packet-cpu");
              assertThat(f.message())
                  .isEqualTo(
                      "the CPUs' input backlogs dropped 1,000 packets between the previous step's"
                          + " last probe and this step's first, while the pods were brought to 30"
                          + " and settled");
            });
    assertThat(s.knee()).isNull();
  }

  @Test
  void continuePolicyRunsExtraStepsBeforeBisecting() {
    FakeTarget t = new FakeTarget(25);
    RampSession s =
        session(
            "name: t\nsettle: 0s\nhold: 0s\nramp: {steps: [10, 20, 30, 40, 50, 60]}\nstop: {policy: continue, extraSteps: 2}\nbisect: {enabled: false}\n",
            t);
    runAll(s);
    assertThat(t.scaledTo).containsExactly(10, 20, 30, 40, 50);
  }

  @Test
  void aPassingRampHasNoKnee() {
    FakeTarget t = new FakeTarget(1000);
    RampSession s = session("name: t\nsettle: 0s\nhold: 0s\nramp: {steps: [5, 10]}\n", t);
    runAll(s);
    assertThat(s.knee()).isNull();
    assertThat(s.summary(List.of()).verdict()).isEqualTo(Verdict.PASSED);
    assertThat(registry.get("kdensity.neigh.v6.table_fulls").gauge().value()).isZero();
    assertThat(registry.get("kdensity.pods").gauge().value()).isEqualTo(10.0);
  }

  @Test
  void anInterruptedSessionStopsAndSaysSo() {
    FakeTarget t = new FakeTarget(1000);
    RampSession s = session("name: t\nsettle: 0s\nhold: 0s\nramp: {steps: [5, 10, 15]}\n", t);
    s.execute(s.next().orElseThrow());
    s.interrupt();
    assertThat(s.next()).isEmpty();
    RunSummary sum = s.summary(List.of());
    assertThat(sum.verdict()).isEqualTo(Verdict.INTERRUPTED);
    assertThat(sum.steps()).hasSize(1);
  }

  @Test
  void anAttachLatencyOverItsSloIsAnAttachSlowFinding() {
    FakeTarget t = new FakeTarget(1000);
    RampSession s =
        session(
            "name: t\nsettle: 0s\nhold: 0s\nramp: {steps: [5]}\nslos:\n  - {metric: attach.p99, max: 1s}\n",
            t);
    StepOutcome o = s.execute(s.next().orElseThrow());
    assertThat(o.passed()).isFalse();
    assertThat(o.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(FindingCode.ATTACH_SLOW);
              // the slowest of the step's stages is named, and every stage is evidence; the wait
              // for DAD after the ADD (2 s) is not part of the attach latency
              assertThat(f.message())
                  .isEqualTo(
                      "attach.p99: 1500 ms, over the limit of 1000 ms; slowest stage: CNI ADD by"
                          + " macvlan (p99 1601 ms)");
              assertThat(f.evidence())
                  .extracting(e -> e.what())
                  .containsExactly(
                      "attach.p99 ≤ 1000",
                      "attach stage: CNI ADD by macvlan",
                      "attach stage: CNI ADD by ptp",
                      "attach stage: pod sandbox");
            });
  }

  @Test
  @DisplayName(
      "the attach's stages become metrics per plugin that made interfaces, and an SLO on one is an"
          + " ATTACH_SLOW rule")
  void attachStagesPerPlugin() {
    FakeTarget t = new FakeTarget(1000);
    RampSession s =
        session(
            "name: t\nsettle: 0s\nhold: 0s\nramp: {steps: [5]}\nslos:\n"
                + "  - {metric: attach.stage.add.macvlan.p99, max: 1s}\n",
            t);

    StepOutcome o = s.execute(s.next().orElseThrow());

    // the fake's pods: sandbox 300 ms, eth0 by ptp in 700 ms, five macvlan ADDs of 1,600 ms (the
    // histograms keep 3 significant digits)
    Map<String, Double> m = o.metrics();
    assertThat(m.get("attach.stage.sandbox.p50")).isCloseTo(300.0, withinPercentage(0.1));
    assertThat(m.get("attach.stage.add.ptp.p99")).isCloseTo(700.0, withinPercentage(0.1));
    assertThat(m.get("attach.stage.add.macvlan.p50")).isCloseTo(1600.0, withinPercentage(0.1));
    assertThat(m).doesNotContainKeys("attach.stage.add.bridge.p50", "attach.stage.add.other.p50");
    // recorded after the settle: DAD per address, and the wait after the ADD (0 for eth0)
    assertThat(m.get("attach.stage.dad.p50")).isCloseTo(1000.0, withinPercentage(0.1));
    assertThat(m.get("attach.stage.usable_after_add.p50")).isCloseTo(2000.0, withinPercentage(0.1));
    assertThat(m.get("attach.stage.usable_after_add.p90")).isCloseTo(2000.0, withinPercentage(0.1));
    assertThat(o.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(FindingCode.ATTACH_SLOW);
              assertThat(f.message())
                  .isEqualTo("attach.stage.add.macvlan.p99: 1601 ms, over the limit of 1000 ms");
            });
  }

  @Test
  @DisplayName(
      "attach throughput is set against the CPU of the attaching children; the harness's own CPU"
          + " leaves out what attached and what made the traffic")
  void attachRateAgainstItsCpuLimit() {
    FakeCpu cpu = new FakeCpu(2, Duration.ofMillis(10));
    FakeTarget t = new FakeTarget(1000, cpu);
    RampSession s = session("name: t\nsettle: 0s\nhold: 0s\nramp: {steps: [50, 100]}\n", t, cpu);

    StepOutcome first = s.execute(s.next().orElseThrow());
    StepOutcome second = s.execute(s.next().orElseThrow());

    // 50 attaches in 50 × 40 ms + 5 ms, 20 ms of children's CPU each, on 2 cores
    for (StepOutcome o : List.of(first, second)) {
      assertThat(o.metrics())
          .containsEntry("attach.cpu_per_interface", 20.0)
          .containsEntry("attach.rate_limit", 100.0);
      assertThat(o.metrics().get("attach.rate")).isCloseTo(50 / 2.005, within(1e-9));
      assertThat(o.metrics().get("attach.efficiency")).isCloseTo(50 / 2.005 / 100, within(1e-9));
      // of the cores' 2 × 2.005 s: the JVM's 10 ms between the two readings around the scale,
      // 50 × 8 ms idle
      assertThat(o.metrics().get("attach.harness_share")).isCloseTo(0.010 / 4.01, within(1e-9));
      assertThat(o.metrics().get("attach.idle_share")).isCloseTo(0.400 / 4.01, within(1e-9));
      // five readings a step, 10 ms of the JVM's own between each: 40 ms; no probe processes
      assertThat(o.metrics()).containsEntry("harness.cpu", 0.04);
      assertThat(o.durations().scaleOrchestration()).isEqualTo(5);
    }
  }

  @Test
  void aTargetWhoseAttachIsNotItsChildrenReportsTheRateButNoCpuLimit() {
    FakeTarget t = new FakeTarget(1000);
    RampSession s = session("name: t\nsettle: 0s\nhold: 0s\nramp: {steps: [5]}\n", t);

    StepOutcome o = s.execute(s.next().orElseThrow());

    assertThat(o.metrics()).containsKey("attach.rate");
    assertThat(o.metrics())
        .doesNotContainKeys("attach.cpu_per_interface", "attach.rate_limit", "attach.efficiency");
  }

  @Test
  @DisplayName("settling looks at the pods a step created, not again at every pod of the node")
  void settleLooksOnlyAtTheStepsNewPods() {
    String plan = "name: t\nhold: 0s\nramp: {steps: [2, 4]}\n";
    FakeTarget without = new FakeTarget(1000).showingPods();
    runAll(session("settle: 0s\n" + plan, without));
    FakeTarget with = new FakeTarget(1000).showingPods();
    runAll(session("settle: 5s\n" + plan, with));

    // the probes read every pod's addresses the same in both runs; what settling added:
    for (String pod : List.of("p1", "p2", "p3", "p4")) {
      assertThat(with.podShells.get(pod).calls().size() - without.podShells.get(pod).calls().size())
          .as("reads of %s by settling", pod)
          .isEqualTo(1);
    }
  }
}
