package io.kdensity.scale.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.Durations;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.Latency;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class GateTest {
  @TempDir Path dir;

  static final NodeFacts NODE =
      new NodeFacts("n1", "6.18", "AMD EPYC", 2, 2_000_000_000L, List.of());

  /** A run whose steps pass up to {@code kneePods} (exclusive), attach p99 = {@code p99}. */
  public static RunSummary run(int kneePods, double p99, FindingCode code) {
    List<StepOutcome> steps = new ArrayList<>();
    Knee knee = null;
    for (int pods = 20; pods <= 100; pods += 20) {
      boolean passed = pods < kneePods;
      List<Finding> f =
          passed
              ? List.of()
              : List.of(
                  new Finding(
                      code, Severity.CRITICAL, "node", "full", List.of(), steps.size() + 1));
      steps.add(
          new StepOutcome(
              steps.size() + 1,
              pods,
              pods * 6,
              false,
              passed,
              Instant.EPOCH,
              new Durations(1, 1, 1, 1, 4),
              new Latency(10, p99 / 2, p99, p99, p99),
              Latency.NONE,
              Map.of("attach.p99", p99),
              List.of(),
              f,
              List.of(),
              Map.of()));
      if (!passed) {
        knee = new Knee(pods - 20, pods, pods * 6, f, 20);
        break;
      }
    }
    return new RunSummary(
        RunSummary.SCHEMA_VERSION,
        "r",
        "t",
        "p",
        "p.yaml",
        "local",
        NODE,
        "",
        5,
        Instant.EPOCH,
        Instant.EPOCH,
        steps,
        knee,
        knee == null ? "passed" : "failed",
        "",
        List.of());
  }

  @Test
  @DisplayName(
      "a lower knee is a regression and the table names the rule; the same run against itself passes")
  void lowerKneeFails() {
    RunSummary base = run(100, 2000, FindingCode.NEIGH_TABLE_OVERFLOW);
    RunSummary now = run(60, 2000, FindingCode.NEIGH_TABLE_OVERFLOW);
    Gate.Result r = Gate.evaluate(base, now, GateRule.defaults());
    assertThat(r.passed()).isFalse();
    Gate.Row knee =
        r.rows().stream().filter(x -> x.rule().startsWith("knee")).findFirst().orElseThrow();
    assertThat(knee)
        .isEqualTo(
            new Gate.Row(
                "knee must not drop more than 5%", "100 pods", "60 pods", "FAIL", "-40.0%"));
    assertThat(Gate.table(r))
        .contains("knee must not drop more than 5%", "FAIL", "gate FAILED: regression");
    assertThat(Gate.evaluate(now, now, GateRule.defaults()).passed()).isTrue();
  }

  @Test
  void newFindingCodesAndMetricRegressionsFail() {
    RunSummary base = run(100, 2000, FindingCode.NEIGH_TABLE_OVERFLOW);
    RunSummary now = run(100, 2600, FindingCode.BRIDGE_PORT_LIMIT);
    Gate.Result r = Gate.evaluate(base, now, GateRule.defaults());
    assertThat(r.rows())
        .extracting(Gate.Row::rule, Gate.Row::verdict)
        .contains(
            org.assertj.core.groups.Tuple.tuple(
                "no finding code the baseline did not have", "FAIL"),
            org.assertj.core.groups.Tuple.tuple(
                "attach.p99 must not regress more than 20%", "FAIL"),
            org.assertj.core.groups.Tuple.tuple("knee must not drop more than 5%", "PASS"));
    assertThat(Gate.junit(r))
        .contains(
            "<testsuite name=\"kdensity gate\" tests=\"4\" failures=\"2\"",
            "<failure message=\"baseline 2,000, now 2,600 (+30.0% at 100 pods)\"/>");
  }

  @Test
  void otherHardwareIsFlaggedNotFailed() {
    RunSummary base = run(100, 2000, FindingCode.NEIGH_TABLE_OVERFLOW);
    RunSummary other =
        new RunSummary(
            base.schemaVersion(),
            "x",
            "t",
            "p",
            "p.yaml",
            "local",
            new NodeFacts("n2", "6.1", "Intel Xeon", 64, 3_000_000_000L, List.of()),
            "",
            5,
            Instant.EPOCH,
            Instant.EPOCH,
            base.steps(),
            base.knee(),
            base.verdict(),
            "",
            List.of());
    Gate.Result r = Gate.evaluate(base, other, GateRule.defaults());
    assertThat(r.passed()).isTrue();
    assertThat(r.rows().get(0).verdict()).isEqualTo("WARN");
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
            run(100, 2000, FindingCode.NEIGH_TABLE_OVERFLOW),
            Files.createDirectories(dir.resolve("b")));
    Path low =
        SummaryJson.write(
            run(60, 2000, FindingCode.NEIGH_TABLE_OVERFLOW),
            Files.createDirectories(dir.resolve("l")));
    assertThat(cli("gate", "--summary", base.toString(), "--baseline", base.toString())).isZero();
    assertThat(cli("gate", "--summary", low.toString(), "--baseline", base.toString()))
        .isEqualTo(1);
    assertThat(dir.resolve("l/gate-junit.xml")).content().contains("failures=\"1\"");
    Path old = dir.resolve("old.json");
    Files.writeString(
        old, Files.readString(base).replace("\"schemaVersion\" : 1", "\"schemaVersion\" : 0"));
    assertThat(cli("gate", "--summary", old.toString(), "--baseline", base.toString()))
        .isEqualTo(2);
    Path corrupt = dir.resolve("corrupt.json");
    Files.writeString(corrupt, "{\"schemaVersion\": 1, \"steps\": [");
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
}
