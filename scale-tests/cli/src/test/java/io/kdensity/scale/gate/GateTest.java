package io.kdensity.scale.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.Latency;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.SoakReport;
import io.kdensity.reports.model.SteadyState;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.reports.model.TestRuns;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.cli.Main;
import io.kdensity.scale.metrics.EngineMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class GateTest {
  @TempDir Path dir;

  /** A run whose steps pass up to {@code kneePods} (exclusive), attach p99 = {@code p99}. */
  public static RunSummary run(int kneePods, double p99, Cause cause) {
    return run(kneePods, p99, cause, 100);
  }

  /** The same, ramping up to {@code maxPods}. */
  public static RunSummary run(int kneePods, double p99, Cause cause, int maxPods) {
    List<StepOutcome> steps = new ArrayList<>();
    Knee knee = null;
    for (int pods = 20; pods <= maxPods; pods += 20) {
      TestRuns.StepBuilder b =
          TestRuns.step(steps.size() + 1, pods)
              .attach(new Latency(10, p99 / 2, p99, p99, p99))
              .ready(Latency.NONE)
              .metric(EngineMetrics.ATTACH.p99(), p99);
      if (pods < kneePods) {
        steps.add(b.build());
        continue;
      }
      StepOutcome failed =
          b.failed(Finding.of(Severity.CRITICAL, cause, "node", "full", List.of())).build();
      steps.add(failed);
      knee = new Knee(pods - 20, pods, pods * 6, failed.findings(), 20);
      break;
    }
    return TestRuns.summary().steps(steps).knee(knee).build();
  }

  /** The run with trials whose knees are {@code knees} (the summary itself is the first's). */
  static RunSummary trials(int[] knees, FindingCode... codesOfFirstTrials) {
    RunSummary s = run(knees[0], 2000, Cause.NEIGHBOUR_TABLE_FULL, 200);
    List<RunSummary.Trial> t = new ArrayList<>();
    for (int k = 0; k < knees.length; k++) {
      List<FindingCode> codes = new ArrayList<>(List.of(FindingCode.NEIGH_TABLE_OVERFLOW));
      if (k < codesOfFirstTrials.length) {
        codes.add(codesOfFirstTrials[k]);
      }
      t.add(
          new RunSummary.Trial(
              k + 1, knees[k], knees[k] - 10, Verdict.FAILED, "trial-" + (k + 1), codes));
    }
    return s.withTrials(t);
  }

  static int[] k(int... knees) {
    return knees;
  }

  record KneeCase(String what, int[] baseline, int[] now, Gate.Outcome outcome, String detail) {}

  @Test
  @DisplayName(
      "the knee rule judges trials against trials: a drop beyond the noise and beyond 10% fails,"
          + " the spread of an unchanged node passes, one run a side cannot be judged")
  void kneeDropKnowsTheNoise() {
    List<KneeCase> table =
        List.of(
            new KneeCase(
                "gc_thresh3 lowered: every trial lower",
                k(120, 130, 140, 110, 130),
                k(90, 80, 100),
                Gate.Outcome.FAIL,
                "median -30.8%, p=0.018"),
            new KneeCase(
                "unchanged node, the measured spread",
                k(120, 140, 130, 130, 120),
                k(110, 120, 130),
                Gate.Outcome.PASS,
                "median -7.7%, p=0.232"),
            new KneeCase(
                "lower beyond the noise, but within 10%",
                k(100, 100, 100, 100, 100),
                k(90, 90, 90),
                Gate.Outcome.PASS,
                "median -10.0%, p=0.018: lower, but within 10%"),
            new KneeCase(
                "one run a side: cannot judge",
                k(100),
                k(60),
                Gate.Outcome.WARN,
                "cannot judge: 1 trial(s) in the baseline and 1 in this run, a knee's noise needs"
                    + " 3 on each side (record both with ramp --trials 5); one run each differ by"
                    + " -40.0%"),
            new KneeCase("one run a side, higher", k(100), k(120), Gate.Outcome.PASS, ""));
    for (KneeCase c : table) {
      RunSummary base =
          c.baseline().length == 1
              ? run(c.baseline()[0], 2000, Cause.NEIGHBOUR_TABLE_FULL, 200)
              : trials(c.baseline());
      RunSummary now =
          c.now().length == 1
              ? run(c.now()[0], 2000, Cause.NEIGHBOUR_TABLE_FULL, 200)
              : trials(c.now());
      Gate.Row knee =
          Gate.evaluate(base, now, GateRule.defaults()).rows().stream()
              .filter(x -> x.rule().startsWith("knee"))
              .findFirst()
              .orElseThrow();
      assertThat(knee.outcome()).as(c.what()).isEqualTo(c.outcome());
      assertThat(knee.detail()).as(c.what()).isEqualTo(c.detail());
    }
  }

  @Test
  @DisplayName("a knee regression names the rule and the trials in the table and fails the gate")
  void lowerKneeFails() {
    Gate.Result r =
        Gate.evaluate(trials(k(100, 100, 100)), trials(k(60, 60, 60)), GateRule.defaults());
    assertThat(r.passed()).isFalse();
    assertThat(Gate.table(r))
        .contains(
            "knee must not drop more than 10% beyond its noise (p ≤ 0.05)",
            "median 100 of 100,100,100",
            "median 60 of 60,60,60",
            "FAIL",
            "gate FAILED: regression");
    assertThat(
            Gate.evaluate(trials(k(60, 60, 60)), trials(k(60, 60, 60)), GateRule.defaults())
                .passed())
        .isTrue();
  }

  @Test
  @DisplayName(
      "with trials, a code is new only if most of the run's trials had it and no baseline trial did")
  void newFindingsAcrossTrials() {
    RunSummary base = trials(k(120, 130, 140), FindingCode.IP_LOSS);
    RunSummary someLoss = trials(k(120, 130, 140), FindingCode.IP_LOSS, FindingCode.IP_LOSS);
    RunSummary bridge =
        trials(k(120, 130, 140), FindingCode.BRIDGE_PORT_LIMIT, FindingCode.BRIDGE_PORT_LIMIT);
    RunSummary once = trials(k(120, 130, 140), FindingCode.BRIDGE_PORT_LIMIT);
    GateRule.NewFindings rule = new GateRule.NewFindings(0);
    assertThat(rule.evaluate(base, someLoss).outcome()).isEqualTo(Gate.Outcome.PASS);
    assertThat(rule.evaluate(base, once).outcome()).isEqualTo(Gate.Outcome.PASS);
    Gate.Row row = rule.evaluate(base, bridge);
    assertThat(row.outcome()).isEqualTo(Gate.Outcome.FAIL);
    assertThat(row.detail()).isEqualTo("new: [BRIDGE_PORT_LIMIT]");
    // a baseline trial without IP_LOSS and a run whose trials mostly lose addresses
    assertThat(rule.evaluate(trials(k(120, 130, 140)), someLoss).outcome())
        .isEqualTo(Gate.Outcome.FAIL);
  }

  @Test
  @DisplayName(
      "attach latencies of a netlink run are not compared with a cni baseline's; the knee still is")
  void attachModesAreNotComparedForLatency() {
    RunSummary cni = run(100, 2000, Cause.NEIGHBOUR_TABLE_FULL);
    RunSummary base = run(100, 900, Cause.NEIGHBOUR_TABLE_FULL);
    RunSummary netlink =
        TestRuns.summary()
            .steps(cni.steps())
            .knee(cni.knee())
            .attach(io.kdensity.config.run.AttachMode.NETLINK)
            .build();
    Gate.Result r = Gate.evaluate(base, netlink, GateRule.defaults());
    Gate.Row p99 =
        r.rows().stream().filter(x -> x.rule().startsWith("attach.p99")).findFirst().orElseThrow();
    assertThat(p99.outcome()).isEqualTo(Gate.Outcome.SKIP);
    assertThat(p99.detail())
        .isEqualTo(
            "the baseline attached with cni, this run with netlink: their latencies measure different work");
    assertThat(r.passed()).isTrue();
    // the same latency rise within one mode is a regression
    assertThat(Gate.evaluate(base, cni, GateRule.defaults()).passed()).isFalse();
  }

  @Test
  void newFindingCodesAndMetricRegressionsFail() {
    RunSummary base = run(100, 2000, Cause.NEIGHBOUR_TABLE_FULL);
    RunSummary now = run(100, 2600, Cause.BRIDGE_FULL);
    Gate.Result r = Gate.evaluate(base, now, GateRule.defaults());
    assertThat(r.rows())
        .extracting(Gate.Row::rule, Gate.Row::outcome)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "no finding code the baseline did not have", Gate.Outcome.FAIL),
            org.assertj.core.groups.Tuple.tuple(
                "attach.p99 must not regress more than 20%", Gate.Outcome.FAIL),
            org.assertj.core.groups.Tuple.tuple(
                "knee must not drop more than 10% beyond its noise (p ≤ 0.05)", Gate.Outcome.PASS));
    assertThat(Gate.junit(r))
        .contains(
            "<testsuite name=\"kdensity gate\" tests=\"4\" failures=\"2\"",
            "<failure message=\"baseline 2,000, now 2,600 (+30.0% at 100 pods)\"/>");
  }

  @Test
  void otherHardwareIsFlaggedNotFailed() {
    RunSummary base = run(100, 2000, Cause.NEIGHBOUR_TABLE_FULL);
    RunSummary other =
        TestRuns.summary()
            .steps(base.steps())
            .knee(base.knee())
            .node(new NodeFacts("n2", "6.1", "Intel Xeon", 64, 3_000_000_000L, List.of()))
            .build();
    Gate.Result r = Gate.evaluate(base, other, GateRule.defaults());
    assertThat(r.passed()).isTrue();
    assertThat(r.rows().get(0).outcome()).isEqualTo(Gate.Outcome.WARN);
  }

  @Test
  void aSteadyStateBaselineAgainstAPlainRunIsFlagged() {
    RunSummary plain = run(100, 2000, Cause.NEIGHBOUR_TABLE_FULL);
    RunSummary steady = plain.withSteady(new SteadyState(50, null));

    Gate.Result r = Gate.evaluate(steady, plain, GateRule.defaults());

    assertThat(r.rows().get(0))
        .isEqualTo(
            new Gate.Row(
                "same measurement as the baseline",
                "steady-state ramp",
                "plain ramp",
                Gate.Outcome.WARN,
                "a steady-state knee and a plain ramp's differ by design: record the baseline the"
                    + " way the gated runs are made (ramp --steady or not)"));
    assertThat(Gate.evaluate(steady, steady, GateRule.defaults()).rows())
        .noneMatch(row -> row.rule().equals("same measurement as the baseline"));
  }

  private int cli(String... args) {
    PrintStream old = System.out;
    try {
      System.setOut(new PrintStream(new ByteArrayOutputStream()));
      return Main.execute(args);
    } finally {
      System.setOut(old);
    }
  }

  @Test
  @DisplayName(
      "exit codes: 0 pass, 1 regression, 2 for a summary of another schema or a corrupt file")
  void exitCodes() throws Exception {
    Path base =
        SummaryJson.write(
            run(100, 2000, Cause.NEIGHBOUR_TABLE_FULL), Files.createDirectories(dir.resolve("b")));
    Path base3 =
        SummaryJson.write(trials(k(100, 100, 100)), Files.createDirectories(dir.resolve("b3")));
    Path low = SummaryJson.write(trials(k(60, 60, 60)), Files.createDirectories(dir.resolve("l")));
    assertThat(cli("gate", "--summary", base.toString(), "--baseline", base.toString())).isZero();
    assertThat(cli("gate", "--summary", low.toString(), "--baseline", base3.toString()))
        .isEqualTo(1);
    assertThat(dir.resolve("l/gate-junit.xml")).content().contains("failures=\"1\"");
    Path old = dir.resolve("old.json");
    Files.writeString(
        old, Files.readString(base).replace("\"schemaVersion\" : 2", "\"schemaVersion\" : 1"));
    assertThat(cli("gate", "--summary", old.toString(), "--baseline", base.toString()))
        .isEqualTo(2);
    Path corrupt = dir.resolve("corrupt.json");
    Files.writeString(corrupt, "{\"schemaVersion\": 2, \"steps\": [");
    assertThat(cli("gate", "--summary", corrupt.toString(), "--baseline", base.toString()))
        .isEqualTo(2);
    assertThat(
            cli(
                "gate",
                "--summary",
                dir.resolve("missing.json").toString(),
                "--baseline",
                base.toString()))
        .isEqualTo(2);
  }

  @Test
  void rulesFileIsValidatedWithLines() throws Exception {
    Path rules = dir.resolve("gate.yaml");
    Files.writeString(
        rules,
        "rules:\n  - {type: knee-drop, maxPercent: 5}\n  - {type: knees, maxPercent: 5}\n  - {type: absolute, max: 3}\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GateRules.load(rules))
        .hasMessageContaining("gate.yaml:3: unknown rule type 'knees'")
        .hasMessageContaining("gate.yaml:4: a absolute rule needs 'metric'");
  }

  @Test
  @DisplayName("limits take durations as plans do: 2m on a latency in ms, a number on a count")
  void limitsTakeDurations() throws Exception {
    Path rules = dir.resolve("units.yaml");
    Files.writeString(
        rules,
        "rules:\n"
            + "  - {type: absolute, metric: ready.p99, max: 2m}\n"
            + "  - {type: absolute, metric: attach.p99, max: 60000}\n"
            + "  - {type: absolute, metric: harness.cpu, max: 1500ms}\n");
    List<GateRule> r = GateRules.load(rules);
    org.assertj.core.api.Assertions.assertThat(r)
        .extracting(x -> ((GateRule.Absolute) x).max())
        .containsExactly(120_000.0, 60_000.0, 1.5);

    Files.writeString(rules, "rules:\n  - {type: absolute, metric: pods, max: 30s}\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> GateRules.load(rules))
        .hasMessageContaining("units.yaml:2: 'max' is a duration (30s) but pods is not a time");
  }

  /** A soak summary whose windows (a minute apart) had these values of {@code metric}. */
  private static RunSummary soak(String metric, double... values) {
    List<SoakReport.Sample> samples = new java.util.ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      samples.add(
          new SoakReport.Sample(
              i + 1,
              i + 2,
              60.0 * i,
              TestRuns.T0,
              0,
              0,
              true,
              java.util.Map.of(metric, values[i])));
    }
    return TestRuns.summary()
        .steps(TestRuns.step(1, 200).build())
        .build()
        .withSoak(
            new SoakReport(
                SoakReport.SCHEMA_VERSION,
                200,
                5,
                600,
                60,
                "10%/60s",
                "2%/60s",
                1000,
                0,
                samples,
                List.of(),
                java.util.Map.of()));
  }

  @Test
  @DisplayName(
      "a drift rule from the rules file: a significant slope fails, noise and ramps pass or skip")
  void driftRule() throws Exception {
    Path rules = dir.resolve("soak-gate.yaml");
    Files.writeString(
        rules, "rules:\n  - {type: drift, metric: objects.ipam_leases, maxPerHour: 0}\n");
    List<GateRule> r = GateRules.load(rules);
    RunSummary flat = soak("objects.ipam_leases", 1200, 1200, 1200, 1200, 1200);
    // through summary.json and back: the soak block is part of the file a gate reads
    RunSummary leaking =
        SummaryJson.read(
            SummaryJson.write(
                soak("objects.ipam_leases", 1200, 1210, 1220, 1230, 1240), dir.resolve("leak")));
    RunSummary noisy = soak("objects.ipam_leases", 1200, 1203, 1199, 1204, 1198, 1206);
    RunSummary ramp = run(100, 2000, Cause.NEIGHBOUR_TABLE_FULL);

    //        baseline, now      → outcome, now's column, detail
    Object[][] table = {
      {flat, leaking, Gate.Outcome.FAIL, "+600.0/h", "p=0.0000 over 5 windows"},
      {flat, flat, Gate.Outcome.PASS, "+0.0/h", "p=1.0000 over 5 windows"},
      {
        flat,
        noisy,
        Gate.Outcome.PASS,
        "+34.3/h",
        "p=0.5092 over 6 windows: not significant (noise)"
      },
      {flat, ramp, Gate.Outcome.SKIP, "", "not a soak"},
    };
    for (Object[] row : table) {
      Gate.Row g = Gate.evaluate((RunSummary) row[0], (RunSummary) row[1], r).rows().get(0);
      assertThat(new Object[] {g.outcome(), g.now(), g.detail()})
          .as(g.rule())
          .containsExactly(row[2], row[3], row[4]);
    }
  }
}
