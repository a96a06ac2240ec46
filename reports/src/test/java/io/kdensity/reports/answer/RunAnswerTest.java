package io.kdensity.reports.answer;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.charts.RampChart;
import io.kdensity.reports.model.BurstTolerance;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.SoakReport;
import io.kdensity.reports.model.SteadyState;
import io.kdensity.reports.model.TestRuns;
import io.kdensity.reports.model.Verdict;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RunAnswerTest {
  static final Finding OVERFLOW =
      new Finding(
          FindingCode.NEIGH_TABLE_OVERFLOW,
          Severity.CRITICAL,
          Cause.NEIGHBOUR_TABLE_FULL,
          "node",
          "IPv6 neighbour table full: 110 entries refused",
          List.of(
              Evidence.counter("ndisc_cache table_fulls", 14430, 14540),
              Evidence.counter("ndisc_cache forced_gc_runs", 10, 95),
              Evidence.counter("entries counted against gc_thresh", 1020, 1024),
              Evidence.counter("not shown", 1, 2)),
          "neighbour",
          3);

  @Test
  void aKneeIsAnsweredWithItsLimitingFindingItsCauseEvidenceAndChart() {
    RunSummary s =
        TestRuns.summary()
            .steps(TestRuns.step(1, 40).build(), TestRuns.step(2, 60).failed(OVERFLOW).build())
            .knee(new Knee(40, 60, 360, List.of(OVERFLOW), 20))
            .build();

    RunAnswer a = RunAnswer.of(s);

    assertThat(a.headline())
        .isEqualTo(
            "verdict failed: knee at 60 pods × 5 interfaces (360 pod interfaces; 40 pods passed),"
                + " limited by NEIGH_TABLE_OVERFLOW (IPv6 neighbour table full: 110 entries refused)"
                + " — a limit of the node's kernel");
    assertThat(a.title()).isEqualTo("failed: knee at 60 pods × 5 interfaces, NEIGH_TABLE_OVERFLOW");
    assertThat(a.knee()).isEqualTo("60 pods × 5 interfaces (360 pod interfaces); 40 pods passed");
    assertThat(a.limiting())
        .isEqualTo(
            "NEIGH_TABLE_OVERFLOW (IPv6 neighbour table full: 110 entries refused)"
                + " — a limit of the node's kernel");
    assertThat(a.cause()).isEqualTo("table_fulls rose");
    assertThat(a.evidence())
        .containsExactly(
            "ndisc_cache table_fulls 14430 → 14540",
            "ndisc_cache forced_gc_runs 10 → 95",
            "entries counted against gc_thresh 1020 → 1024");
    assertThat(a.chart()).contains(RampChart.NEIGHBOURS);
  }

  @Test
  void aSteadyStateKneeSaysSoWithItsBurstTolerance() {
    RunSummary s =
        TestRuns.summary()
            .steps(TestRuns.step(1, 40).build(), TestRuns.step(2, 60).failed(OVERFLOW).build())
            .knee(new Knee(40, 60, 360, List.of(OVERFLOW), 20))
            .build()
            .withSteady(
                new SteadyState(
                    50,
                    new BurstTolerance(
                        40,
                        10,
                        20,
                        List.of(
                            new BurstTolerance.Try(20, 20, 4),
                            new BurstTolerance.Try(30, 10, 0)))));

    RunAnswer a = RunAnswer.of(s);

    assertThat(a.headline())
        .isEqualTo(
            "verdict failed: steady-state knee at 60 pods × 5 interfaces (360 pod interfaces; 40"
                + " pods passed), limited by NEIGH_TABLE_OVERFLOW (IPv6 neighbour table full: 110"
                + " entries refused) — a limit of the node's kernel; burst tolerance at 40 pods: 10"
                + " pods at once; 20 at once refused 4 entries");
    assertThat(a.title())
        .isEqualTo("failed: steady-state knee at 60 pods × 5 interfaces, NEIGH_TABLE_OVERFLOW");
    assertThat(RunAnswer.burst(new SteadyState(50, null))).isEmpty();
    assertThat(
            RunAnswer.burst(
                new SteadyState(
                    50,
                    new BurstTolerance(40, 30, null, List.of(new BurstTolerance.Try(10, 30, 0))))))
        .isEqualTo(
            "; burst tolerance at 40 pods: at least 30 pods at once (every burst tried fit)");
  }

  private static final Prediction PREDICTED = TestRuns.prediction();

  @Test
  @DisplayName("a ramp that calibrated the model puts the prediction next to its knee")
  void aPredictionStandsNextToTheKnee() {
    // measured knee, last passing: the answer's tail
    Object[][] table = {
      {100, 90, "; predicted NEIGH_TABLE_OVERFLOW at 97–118 pods, measured 100: as predicted"},
      {120, 110, "; predicted NEIGH_TABLE_OVERFLOW at 97–118 pods, measured 120: as predicted"},
      {130, 120, "; predicted NEIGH_TABLE_OVERFLOW at 97–118 pods, measured 130: NOT as predicted"},
      {80, 70, "; predicted NEIGH_TABLE_OVERFLOW at 97–118 pods, measured 80: NOT as predicted"},
    };
    for (Object[] row : table) {
      int knee = (int) row[0];
      int passed = (int) row[1];
      RunSummary s =
          TestRuns.summary()
              .steps(
                  TestRuns.step(1, passed).build(), TestRuns.step(2, knee).failed(OVERFLOW).build())
              .knee(new Knee(passed, knee, knee * 6, List.of(OVERFLOW), 10))
              .build()
              .withPrediction(PREDICTED);
      assertThat(RunAnswer.predicted(s)).as("knee %d", knee).isEqualTo(row[2]);
      assertThat(RunAnswer.of(s).headline()).endsWith((String) row[2]);
    }
    RunSummary none = TestRuns.summary().steps(TestRuns.step(1, 40).build()).build();
    assertThat(RunAnswer.predicted(none)).isEmpty();
    assertThat(RunAnswer.predicted(none.withPrediction(PREDICTED)))
        .isEqualTo("; predicted NEIGH_TABLE_OVERFLOW at 97–118 pods");
  }

  @Test
  @DisplayName(
      "a prediction without its two calibration points: what it stands on, and a knee it could not"
          + " see is not called wrong")
  void anUncalibratedPrediction() {
    // calibration points: the prediction's first line
    Map<List<Prediction.CalibrationPoint>, String> table =
        Map.of(
            List.of(),
            "prediction for 200 pods × 5 interfaces, without calibration (no calibration point:"
                + " the node failed its first step):",
            List.of(new Prediction.CalibrationPoint(20, Map.of())),
            "prediction for 200 pods × 5 interfaces, without calibration (one calibration point,"
                + " at 20 pods: the measured limits need two):");
    RunSummary knee20 =
        TestRuns.summary()
            .steps(TestRuns.step(1, 20).failed(OVERFLOW).build())
            .knee(new Knee(0, 20, 120, List.of(OVERFLOW), 10))
            .build();
    table.forEach(
        (points, first) -> {
          Prediction p = new Prediction(200, 5, List.of(), points, List.of());
          assertThat(p.calibrated()).isFalse();
          assertThat(PredictionText.lines(p).get(0)).isEqualTo(first);
          assertThat(RunAnswer.predicted(knee20.withPrediction(p)))
              .isEqualTo(
                  "; predicted: no modelled limit breaks up to 200 pods, measured 20: the node"
                      + " failed before the model's calibration, which then predicts only the"
                      + " limits that need none");
        });
  }

  @Test
  @DisplayName(
      "the terminal's prediction: the first to break, a row per limit, how, what is left out")
  void predictionText() {
    List<String> lines = PredictionText.lines(PREDICTED);
    assertThat(lines.get(0))
        .isEqualTo("prediction for 200 pods × 5 interfaces, calibrated at 20 and 40 pods:");
    assertThat(lines.get(1))
        .isEqualTo(
            "  first to break: NEIGH_TABLE_OVERFLOW at 97–118 pods (IPv6 (ndisc_cache) neighbour"
                + " table, gc_thresh3)");
    assertThat(lines)
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("IPv6 (ndisc_cache) neighbour table", "1,024 entries")
                    .contains("1,750 (1,926 in a step)", "97–118 pods"))
        .anySatisfy(l -> assertThat(l).contains("ports of the fullest Linux bridge", "1,024 pods"))
        // a warning is crossed, never the first to break
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("the busiest uplink's NIC unicast filter", "129 pods, a warning"))
        .contains("  - NEIGH_TABLE_OVERFLOW: 8.8 pinned entries a pod")
        .contains(
            "  - attach.p99 ≤ 30000: latencies, rates and bring-up counters are not modelled");
    // the first to break comes first
    assertThat(String.join("\n", lines).indexOf("neighbour table, gc_thresh3  "))
        .isLessThan(String.join("\n", lines).indexOf("ports of the fullest"));
  }

  @Test
  void aKneeTheControlPlaneSetIsNotTheNodes() {
    Finding throttled =
        new Finding(
            FindingCode.ATTACH_FAILED,
            Severity.CRITICAL,
            Cause.API_THROTTLED,
            "network sat-a",
            "12 attaches to sat-a (multus) failed: too many requests (429)",
            List.of(),
            Finding.TARGET,
            2);
    RunSummary s =
        TestRuns.summary()
            .steps(TestRuns.step(1, 40).build())
            .knee(new Knee(40, 60, 360, List.of(throttled), 20))
            .verdict(Verdict.FAILED)
            .build();

    RunAnswer a = RunAnswer.of(s);

    assertThat(a.limiting())
        .endsWith("— a limit of the control plane (API server, scheduler), not of the node");
    assertThat(a.cause()).isEqualTo("API requests throttled");
  }

  @Test
  void aSummaryOfTrialsGivesTheMedianKneeWithItsRange() {
    RunSummary s =
        TestRuns.summary()
            .steps(TestRuns.step(1, 40).build())
            .knee(new Knee(120, 130, 780, List.of(OVERFLOW), 10))
            .verdict(Verdict.FAILED)
            .build()
            .withTrials(
                List.of(
                    new RunSummary.Trial(1, 140, 130, Verdict.FAILED, "trial-1/summary.json"),
                    new RunSummary.Trial(2, 110, 100, Verdict.FAILED, "trial-2/summary.json"),
                    new RunSummary.Trial(3, 130, 120, Verdict.FAILED, "trial-3/summary.json"),
                    new RunSummary.Trial(4, 130, 120, Verdict.FAILED, "trial-4/summary.json"),
                    new RunSummary.Trial(5, 110, 100, Verdict.FAILED, "trial-5/summary.json")));

    RunAnswer a = RunAnswer.of(s);

    assertThat(a.headline())
        .startsWith(
            "verdict failed: knee at 130 pods (median of 5 trials: 110–140) × 5 interfaces (780 pod"
                + " interfaces; 120 pods passed), limited by NEIGH_TABLE_OVERFLOW");
    assertThat(a.title())
        .isEqualTo(
            "failed: knee at 130 pods (median of 5 trials: 110–140) × 5 interfaces,"
                + " NEIGH_TABLE_OVERFLOW");
  }

  @Test
  void trialsWithoutAKneeAreNamedApart() {
    RunSummary s =
        TestRuns.summary()
            .knee(new Knee(120, 130, 780, List.of(OVERFLOW), 10))
            .build()
            .withTrials(
                List.of(
                    new RunSummary.Trial(1, 130, 120, Verdict.FAILED, "trial-1/summary.json"),
                    new RunSummary.Trial(2, null, null, Verdict.PASSED, "trial-2/summary.json"),
                    new RunSummary.Trial(3, 130, 120, Verdict.FAILED, "trial-3/summary.json")));

    assertThat(RunAnswer.trials(s)).isEqualTo(" (median of 3 trials: all 130; 1 without a knee)");
    assertThat(RunAnswer.trials(s.withTrials(List.of()))).isEmpty();
  }

  @Test
  void aKneeOfSlosAloneHasNoCauseAndNoChart() {
    RunSummary s =
        TestRuns.summary()
            .steps(TestRuns.step(1, 40).build())
            .knee(new Knee(0, 40, 240, List.of(), 40))
            .verdict(Verdict.FAILED)
            .build();

    RunAnswer a = RunAnswer.of(s);

    assertThat(a.limiting()).isEqualTo("SLOs");
    assertThat(a.title()).isEqualTo("failed: knee at 40 pods × 5 interfaces, SLOs");
    assertThat(a.cause()).isEmpty();
    assertThat(a.evidence()).isEmpty();
    assertThat(a.chart()).isEmpty();
  }

  @Test
  void withoutAKneeTheAnswerSaysHowFarTheRampWentAndWhatEndedIt() {
    record Case(Verdict verdict, String error, String limiting) {}
    for (Case c :
        List.of(
            new Case(Verdict.PASSED, "", "none: every step passed"),
            new Case(Verdict.INTERRUPTED, "", "interrupted"),
            new Case(
                Verdict.ERROR,
                "probes could not report",
                "the run could not finish: probes could not report"))) {
      RunSummary s =
          TestRuns.summary()
              .steps(TestRuns.step(1, 100).build(), TestRuns.step(2, 200).build())
              .verdict(c.verdict())
              .error(c.error())
              .build();

      RunAnswer a = RunAnswer.of(s);

      assertThat(a.headline())
          .isEqualTo(
              "verdict "
                  + c.verdict().text()
                  + ": no knee up to 200 pods × 5 interfaces (2 steps)");
      assertThat(a.title())
          .isEqualTo(c.verdict().text() + ": no knee up to 200 pods × 5 interfaces");
      assertThat(a.knee()).isEqualTo("no knee up to 200 pods × 5 interfaces");
      assertThat(a.limiting()).as("%s", c.verdict()).isEqualTo(c.limiting());
      assertThat(a.chart()).isEqualTo(Optional.empty());
    }
  }

  @Test
  void everyFindingShowsOnAChartTheRampDraws() {
    assertThat(List.of(FindingCode.values()).stream().map(RampChart::showing).distinct().toList())
        .containsExactlyInAnyOrder(
            RampChart.NEIGHBOURS,
            RampChart.FDB,
            RampChart.SOFTNET,
            RampChart.SOCKET_ERRORS,
            RampChart.CONNTRACK,
            RampChart.ATTACH_LATENCY);
  }

  static SoakReport soak(List<Finding> findings, Map<String, Integer> detectedAt) {
    List<SoakReport.Sample> windows = new java.util.ArrayList<>();
    for (int w = 1; w <= 3; w++) {
      windows.add(
          new SoakReport.Sample(
              w, w, (w - 1) * 60.0, TestRuns.T0, w == 1 ? 0 : 2, 0, true, Map.of()));
    }
    return new SoakReport(
        SoakReport.SCHEMA_VERSION,
        10,
        2,
        180,
        60,
        "20%/60s",
        "0%/60s",
        1000,
        0.2,
        windows,
        findings,
        detectedAt);
  }

  @Test
  void aSoakIsAnsweredWithItsWindowsAndWhatLeakedWithItsRate() {
    Finding leak =
        new Finding(
            FindingCode.LEAK,
            Severity.CRITICAL,
            Cause.OBJECTS_NOT_FREED,
            "objects.ipam_leases",
            "objects.ipam_leases +1,440/h: 48 above the first window's 1,200 after 0:02:00",
            List.of(Evidence.counter("objects.ipam_leases", 1200, 1248)),
            "soak",
            -1);
    RunSummary s =
        TestRuns.summary()
            .verdict(Verdict.FAILED)
            .build()
            .withSoak(soak(List.of(leak), Map.of("objects.ipam_leases", 3)));

    RunAnswer a = RunAnswer.of(s);

    assertThat(a.headline())
        .isEqualTo(
            "verdict failed: soak of 10 pods × 2 interfaces held for 3 of 3 windows of 60s"
                + " (3 passed): LEAK objects.ipam_leases +1,440/h: 48 above the first window's"
                + " 1,200 after 0:02:00 (first seen at window 3)")
        .doesNotContain("knee");
    assertThat(a.title()).isEqualTo("failed: soak, LEAK");
    assertThat(a.chart()).isEmpty();
  }

  @Test
  void aQuietSoakSaysNothingLeaked() {
    RunSummary s =
        TestRuns.summary().verdict(Verdict.PASSED).build().withSoak(soak(List.of(), Map.of()));
    assertThat(RunAnswer.of(s).headline())
        .isEqualTo(
            "verdict passed: soak of 10 pods × 2 interfaces held for 3 of 3 windows of 60s"
                + " (3 passed): nothing leaked or drifted");
  }
}
