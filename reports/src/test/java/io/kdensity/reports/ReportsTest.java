package io.kdensity.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.fdb.MacTableProbe;
import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.reports.allure.AllureRunFiles;
import io.kdensity.reports.allure.AllureStepReporter;
import io.kdensity.reports.charts.Charts;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.BurstTolerance;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.SloCheck;
import io.kdensity.reports.model.SteadyState;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.reports.model.TestRuns;
import io.kdensity.reports.model.Verdict;
import io.kdensity.reports.recommend.RecommendationsWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

public class ReportsTest {
  @TempDir Path dir;

  static final Finding OVERFLOW =
      new Finding(
          FindingCode.NEIGH_TABLE_OVERFLOW,
          Severity.CRITICAL,
          Cause.NEIGHBOUR_TABLE_FULL,
          "node",
          "IPv6 neighbour table full: 110 entries refused",
          List.of(Evidence.counter("ndisc_cache table_fulls", 14430, 14540)),
          "neighbour",
          3);

  static StepOutcome step(int i, int pods, boolean passed, double entries) {
    NeighbourProbe.FamilyMetrics v6 = NeighbourProbe.Family.V6.metrics();
    TestRuns.StepBuilder b =
        TestRuns.step(i, pods)
            .metric(v6.entries(), entries)
            .metric(v6.gcThresh3(), 1024)
            .metric(v6.tableFulls(), passed ? 0 : 110)
            .metric("attach.p99", 2600)
            .metric(MacTableProbe.FDB_LEARNED, pods * 5.0)
            .slo(
                SloCheck.ofFinding(
                    "NEIGH_TABLE_OVERFLOW ≤ 0",
                    FindingCode.NEIGH_TABLE_OVERFLOW,
                    passed ? 0 : 1,
                    0))
            .snapshot("neighbour", Map.of("entries", entries));
    return (passed ? b : b.failed(OVERFLOW)).build();
  }

  public static RunSummary summary() {
    return TestRuns.summary()
        .steps(step(1, 20, true, 300), step(2, 40, true, 650), step(3, 60, false, 1024))
        .knee(new Knee(40, 60, 360, List.of(OVERFLOW), 20))
        .recommendations(
            new Recommendation(
                "neigh-gc-thresh",
                FindingCode.NEIGH_TABLE_OVERFLOW,
                "Raise the neighbour table limits to gc_thresh3 = 4,096",
                "why",
                List.of("step 3: full", "  ndisc_cache table_fulls 14430 → 14540"),
                Map.of("net.ipv6.neigh.default.gc_thresh3", "4096"),
                Map.of(),
                List.of("apply node-wide"),
                1_000_110))
        .build();
  }

  @Test
  @org.junit.jupiter.api.DisplayName(
      "summary.json round-trips every field (its keys are checked against the schema by"
          + " SummarySchemaDocTest)")
  void summaryJsonRoundTrips() throws Exception {
    Path f = SummaryJson.write(summary(), dir);
    JsonNode tree = SummaryJson.MAPPER.readTree(Files.readAllBytes(f));
    assertThat(tree.get("schemaVersion").asInt()).isEqualTo(2);
    assertThat(tree.get("started").asString()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(tree.at("/steps/2/findings/0/evidence/0/after").asLong()).isEqualTo(14540);
    assertThat(tree.at("/steps/2/findings/0/recommendation").asString())
        .isEqualTo("neigh-gc-thresh");
    RunSummary back = SummaryJson.read(f);
    assertThat(back).usingRecursiveComparison().isEqualTo(summary());
    assertThat(back.knee()).isEqualTo(summary().knee());
    assertThat(back.steps().get(2).findings()).containsExactly(OVERFLOW);
    assertThat(back.recommendations()).isEqualTo(summary().recommendations());
    assertThat(tree.at("/steps/2/findings/0/layer").asString()).isEqualTo("NODE_KERNEL");
    assertThat(tree.has("trials")).as("a single run writes no trials").isFalse();
  }

  @Test
  void trialsRoundTrip() throws Exception {
    List<RunSummary.Trial> trials =
        List.of(
            new RunSummary.Trial(1, 130, 120, Verdict.FAILED, "trial-1/summary.json"),
            new RunSummary.Trial(2, null, null, Verdict.PASSED, "trial-2/summary.json"));
    Path f = SummaryJson.write(summary().withTrials(trials), dir);

    assertThat(SummaryJson.read(f).trials()).isEqualTo(trials);
  }

  @Test
  void steadyStateRoundTrips() throws Exception {
    SteadyState st =
        new SteadyState(
            50,
            new BurstTolerance(
                110,
                0,
                10,
                List.of(new BurstTolerance.Try(60, 50, 91), new BurstTolerance.Try(100, 10, 562))));
    Path f = SummaryJson.write(summary().withSteady(st), dir);

    assertThat(SummaryJson.read(f).steady()).isEqualTo(st);
    assertThat(SummaryJson.read(SummaryJson.write(summary(), dir)).steady()).isNull();
  }

  @Test
  @org.junit.jupiter.api.DisplayName(
      "a prediction round-trips with its warnings; one written before limits could warn reads as"
          + " limits that fail")
  void predictionRoundTrips() throws Exception {
    Prediction p = TestRuns.prediction();
    Path f = SummaryJson.write(summary().withPrediction(p), dir);
    assertThat(SummaryJson.read(f).prediction()).isEqualTo(p);

    JsonNode tree = SummaryJson.MAPPER.readTree(Files.readAllBytes(f));
    tree.at("/prediction/limits").forEach(l -> ((ObjectNode) l).remove("warning"));
    Files.write(f, SummaryJson.MAPPER.writeValueAsBytes(tree));
    assertThat(SummaryJson.read(f).prediction().limits())
        .extracting(Prediction.Headroom::warning)
        .containsExactly(false, false, false);
  }

  @Test
  void aSummaryOfAnotherSchemaIsRefusedWithTheReason() throws Exception {
    Path f = dir.resolve("s.json");
    // schema 1 had no typed causes and untyped SLO checks: it cannot be read as schema 2
    Files.writeString(f, "{\"schemaVersion\": 1, \"steps\": []}");
    assertThatThrownBy(() -> SummaryJson.read(f))
        .hasMessageContaining("schemaVersion 1 is not supported (this kdensity reads 2)");
  }

  @Test
  void chartsArePngsWithTheKneeMarked() throws Exception {
    Map<String, byte[]> charts = Charts.ramp(summary().steps(), summary().knee());
    assertThat(charts)
        .containsOnlyKeys(
            "attach-latency.png",
            "neighbours.png",
            "fdb.png",
            "softnet.png",
            "socket-errors.png",
            "conntrack.png",
            "softirq-cpu.png");
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(charts.get("neighbours.png")));
    assertThat(img.getWidth()).isEqualTo(900);
    assertThat(img.getHeight()).isEqualTo(480);
  }

  @Test
  void categoriesGroupFindingCodesByBottleneck() throws Exception {
    JsonNode cats = SummaryJson.MAPPER.readTree(AllureRunFiles.categoriesJson());
    assertThat(cats.findValuesAsString("name"))
        .contains(
            "Neighbour table overflow",
            "MAC table overflow",
            "NIC promiscuous fallback",
            "Bridge port limit",
            "CPU packet budget",
            "Socket buffers",
            "IP loss",
            "Attach failures",
            "Infrastructure errors");
    String regex = cats.get(0).path("messageRegex").asString();
    assertThat("IP_LOSS: 2 of 420 addresses did not answer".matches(regex)).isTrue();
    String neigh =
        cats.findParents("name").stream()
            .filter(n -> n.get("name").asString().equals("Neighbour table overflow"))
            .findFirst()
            .orElseThrow()
            .path("messageRegex")
            .asString();
    assertThat("NEIGH_TABLE_OVERFLOW: IPv6 table full\nSLO failed: x".matches(neigh)).isTrue();
    AllureRunFiles.write(dir, summary(), "ci", null);
    assertThat(dir.resolve("environment.properties"))
        .content()
        .contains("profile=kernel-defaults", "cores=2", "target=local");
    JsonNode executor = SummaryJson.MAPPER.readTree(Files.readString(dir.resolve("executor.json")));
    assertThat(executor.path("name").asString()).isEqualTo("ci");
    assertThat(executor.path("buildName").asString()).isEqualTo("default abc123");
    // the overview's summary widget shows the report name as its title
    assertThat(executor.path("reportName").asString())
        .isEqualTo(
            "kdensity default: failed: knee at 60 pods × 5 interfaces, NEIGH_TABLE_OVERFLOW");
  }

  @Test
  @org.junit.jupiter.api.DisplayName(
      "the environment widget's first rows are the answer, readable whatever charset Allure reads"
          + " them in")
  void theEnvironmentStartsWithTheAnswer() throws Exception {
    AllureRunFiles.write(dir, summary(), "ci", null);

    List<String> lines = Files.readAllLines(dir.resolve("environment.properties"));
    assertThat(lines.subList(0, 7))
        .extracting(l -> l.substring(0, l.indexOf('=')))
        .containsExactly(
            "verdict", "knee", "limiting.finding", "cause", "evidence.1", "chart", "kernel");
    assertThat(String.join("\n", lines)).isASCII();
    java.util.Properties p = new java.util.Properties();
    try (var in = Files.newInputStream(dir.resolve("environment.properties"))) {
      p.load(in); // ISO-8859-1, as java.util.Properties reads a stream
    }
    assertThat(p)
        .containsEntry("verdict", "failed")
        .containsEntry("knee", "60 pods × 5 interfaces (360 pod interfaces); 40 pods passed")
        .containsEntry("cause", "table_fulls rose")
        .containsEntry("evidence.1", "ndisc_cache table_fulls 14430 → 14540")
        .containsEntry("chart", "neighbours.png (every step's attachments)");
  }

  @Test
  void recommendationsNameTheKneeTheEvidenceAndTheSettings() {
    String md = RecommendationsWriter.markdown(summary(), Path.of("out/recommended-profile.yaml"));
    assertThat(md)
        .contains(
            "**Knee:** the node fails at **60 pods × 5 interfaces** (360 pod interfaces); 40 pods passed.",
            "`NEIGH_TABLE_OVERFLOW` — IPv6 neighbour table full",
            "ndisc_cache table_fulls 14430 → 14540",
            "net.ipv6.neigh.default.gc_thresh3 = 4096",
            "./kdensity compare --plan plans/default.yaml --profiles kernel-defaults,out/recommended-profile.yaml");
  }

  @Test
  void aSteadyStateRunsRecommendationsSayHowItsKneeWasMeasuredAndItsBurstTolerance() {
    RunSummary s =
        summary()
            .withSteady(
                new SteadyState(
                    50,
                    new BurstTolerance(40, 10, 20, List.of(new BurstTolerance.Try(20, 20, 9)))));
    String md = RecommendationsWriter.markdown(s, Path.of("out/recommended-profile.yaml"));
    assertThat(md)
        .contains(
            "**Knee:** in steady state (a failing step held 50 s with its traffic) the node fails"
                + " at **60 pods × 5 interfaces** (360 pod interfaces); 40 pods passed.",
            "**Burst tolerance:** 10 pods brought up at once onto a node holding the rest in steady"
                + " state reach 40 pods without a refused neighbour entry; 20 at once did not. A"
                + " rollout or drain that lands more at once needs headroom above this knee.");
  }

  @Test
  void findingsTableIsMarkdown() {
    String t = AllureStepReporter.findingsTable(step(3, 60, false, 1024));
    assertThat(t)
        .startsWith("| code | severity | subject | message | evidence | recommendation |")
        .contains(
            "| NEIGH_TABLE_OVERFLOW | CRITICAL | node | IPv6 neighbour table full: 110 entries refused | ndisc_cache table_fulls 14430 → 14540 | neigh-gc-thresh |");
  }

  @Test
  @org.junit.jupiter.api.DisplayName(
      "Allure phases last what the engine measured: the sweep before the traffic and the one after, not half of both each")
  void alluresPhasesLastWhatTheEngineMeasured() throws Exception {
    io.qameta.allure.AllureLifecycle lifecycle =
        new io.qameta.allure.AllureLifecycle(new io.qameta.allure.FileSystemResultsWriter(dir));
    lifecycle.scheduleTestCase(
        new io.qameta.allure.model.TestResult().setUuid("step-1").setName("step 01"));
    lifecycle.startTestCase("step-1");
    // scale 20 s, settle 0.1 s, probes 0.6 s of which 0.25 s before the traffic, traffic 2 s
    StepOutcome s =
        TestRuns.step(1, 20)
            .durations(
                new io.kdensity.reports.model.Durations(
                    20_000, 100, 600, 2000, 22_800, 250, 300, 40))
            .build();
    new AllureStepReporter(lifecycle).report(s, List.of(s), null, Map.of());
    lifecycle.stopTestCase("step-1");
    lifecycle.writeTestCase("step-1");

    JsonNode result;
    try (var files = Files.list(dir)) {
      Path f = files.filter(p -> p.toString().endsWith("-result.json")).findFirst().orElseThrow();
      result = SummaryJson.MAPPER.readTree(Files.readAllBytes(f));
    }
    Map<String, Long> lasted = new java.util.LinkedHashMap<>();
    for (JsonNode phase : result.path("steps")) {
      lasted.put(
          phase.path("name").asString(),
          phase.path("stop").asLong() - phase.path("start").asLong());
    }
    assertThat(lasted)
        .containsEntry("settle", 100L)
        .containsEntry("probe snapshot before traffic", 250L)
        .containsEntry("hold with traffic", 2000L)
        .containsEntry("probes", 350L);
  }
}
