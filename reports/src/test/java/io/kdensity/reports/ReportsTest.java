package io.kdensity.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.reports.allure.AllureRunFiles;
import io.kdensity.reports.allure.AllureStepReporter;
import io.kdensity.reports.charts.Charts;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.Durations;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.Latency;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.SloCheck;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.reports.recommend.RecommendationsWriter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class ReportsTest {
  @TempDir Path dir;

  static final Finding OVERFLOW =
      new Finding(
          FindingCode.NEIGH_TABLE_OVERFLOW,
          Severity.CRITICAL,
          "node",
          "IPv6 neighbour table full: 110 entries refused",
          List.of(Evidence.counter("ndisc_cache table_fulls", 14430, 14540)),
          3);

  static StepOutcome step(int i, int pods, boolean passed, double entries) {
    return new StepOutcome(
        i,
        pods,
        pods * 6,
        false,
        passed,
        Instant.parse("2026-11-25T10:00:00Z"),
        new Durations(20000, 100, 600, 2000, 22800),
        new Latency(pods * 6, 1800, 2400, 2600, 2900),
        new Latency(pods, 8000, 9000, 9500, 9900),
        Map.of(
            "neigh.v6.entries",
            entries,
            "neigh.v6.gc_thresh3",
            1024.0,
            "neigh.v6.table_fulls",
            passed ? 0.0 : 110.0,
            "attach.p99",
            2600.0,
            "l2.fdb.learned",
            pods * 5.0),
        List.of(new SloCheck("NEIGH_TABLE_OVERFLOW ≤ 0", passed ? 0 : 1, 0, passed)),
        passed ? List.of() : List.of(OVERFLOW),
        List.of(),
        Map.of("neighbour", Map.of("entries", entries)));
  }

  static RunSummary summary() {
    List<StepOutcome> steps =
        List.of(step(1, 20, true, 300), step(2, 40, true, 650), step(3, 60, false, 1024));
    return new RunSummary(
        RunSummary.SCHEMA_VERSION,
        "abc123",
        "0.1.0",
        "default",
        "plans/default.yaml",
        "local",
        new NodeFacts("n", "6.18", "AMD EPYC", 2, 2_000_000_000L, List.of("eth0")),
        "kernel-defaults",
        5,
        Instant.parse("2026-11-25T10:00:00Z"),
        Instant.parse("2026-11-25T10:03:00Z"),
        steps,
        new Knee(40, 60, 360, List.of(OVERFLOW), 20),
        "failed",
        "",
        List.of(
            new Recommendation(
                "neigh-gc-thresh",
                FindingCode.NEIGH_TABLE_OVERFLOW,
                "Raise the neighbour table limits to gc_thresh3 = 4,096",
                "why",
                List.of("step 3: full", "  ndisc_cache table_fulls 14430 → 14540"),
                Map.of("net.ipv6.neigh.default.gc_thresh3", "4096"),
                Map.of(),
                List.of("apply node-wide"),
                1_000_110)));
  }

  @Test
  void summaryJsonRoundTripsAndHasTheDocumentedTopLevelKeys() throws Exception {
    Path f = SummaryJson.write(summary(), dir);
    JsonNode tree = SummaryJson.MAPPER.readTree(Files.readAllBytes(f));
    assertThat(tree.get("schemaVersion").asInt()).isEqualTo(1);
    assertThat(tree.has("steps") && tree.has("knee") && tree.has("verdict")).isTrue();
    assertThat(tree.get("started").asString()).isEqualTo("2026-11-25T10:00:00Z");
    assertThat(tree.at("/steps/2/findings/0/evidence/0/after").asLong()).isEqualTo(14540);
    assertThat(tree.at("/steps/2/findings/0/recommendation").asString())
        .isEqualTo("neigh-gc-thresh");
    RunSummary back = SummaryJson.read(f);
    assertThat(back.knee()).isEqualTo(summary().knee());
    assertThat(back.steps().get(2).findings()).containsExactly(OVERFLOW);
    assertThat(back.recommendations()).isEqualTo(summary().recommendations());
  }

  @Test
  void aSummaryOfAnotherSchemaIsRefusedWithTheReason() throws Exception {
    Path f = dir.resolve("s.json");
    Files.writeString(f, "{\"schemaVersion\": 2, \"steps\": []}");
    assertThatThrownBy(() -> SummaryJson.read(f))
        .hasMessageContaining("schemaVersion 2 is not supported (this kdensity reads 1)");
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
    assertThat(dir.resolve("executor.json")).content().contains("\"name\": \"ci\"");
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
  void findingsTableIsMarkdown() {
    String t = AllureStepReporter.findingsTable(step(3, 60, false, 1024));
    assertThat(t)
        .startsWith("| code | severity | subject | message | evidence | recommendation |")
        .contains(
            "| NEIGH_TABLE_OVERFLOW | CRITICAL | node | IPv6 neighbour table full: 110 entries refused | ndisc_cache table_fulls 14430 → 14540 | neigh-gc-thresh |");
  }
}
