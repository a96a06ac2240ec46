package io.kdensity.reports.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.reports.ReportsTest;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.SoakReport;
import io.kdensity.reports.model.TestRuns;
import io.kdensity.reports.model.Verdict;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * docs/summary-json.md's {@code summary.json} schema and the writer agree key by key: every key a
 * full summary (steps, findings, knee, recommendations, trials, a soak) is written with is
 * documented, and every quoted key of the schema block is written.
 */
class SummarySchemaDocTest {
  /** Objects whose keys are data (metric names, probe names, sysctls), not schema. */
  private static final Set<String> DATA_MAPS =
      Set.of("metrics", "snapshots", "values", "detectedAt", "sysctl", "podSysctl");

  @TempDir Path dir;

  static String schemaBlock() throws Exception {
    String readme = Files.readString(Path.of("../docs/summary-json.md"));
    int at = readme.indexOf("## Schema version");
    int start = readme.indexOf("```\n", at) + 4;
    return readme.substring(start, readme.indexOf("```", start));
  }

  static void keys(JsonNode n, Set<String> out) {
    if (n.isObject()) {
      for (Map.Entry<String, JsonNode> e : n.properties()) {
        out.add(e.getKey());
        if (!DATA_MAPS.contains(e.getKey())) {
          keys(e.getValue(), out);
        }
      }
    } else if (n.isArray()) {
      n.forEach(c -> keys(c, out));
    }
  }

  private RunSummary full() {
    return ReportsTest.summary()
        .withTrials(
            List.of(
                new RunSummary.Trial(
                    1,
                    60,
                    40,
                    Verdict.FAILED,
                    "trial-1/summary.json",
                    List.of(io.kdensity.probes.finding.FindingCode.NEIGH_TABLE_OVERFLOW))))
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
                List.of(
                    new SoakReport.Sample(
                        1, 2, 0, TestRuns.T0, 0, 0, true, Map.of("objects.ipam_leases", 1.0))),
                List.of(),
                Map.of()))
        .withSteady(
            new io.kdensity.reports.model.SteadyState(
                50,
                new io.kdensity.reports.model.BurstTolerance(
                    110,
                    0,
                    10,
                    List.of(new io.kdensity.reports.model.BurstTolerance.Try(100, 10, 562)))))
        .withPrediction(
            new io.kdensity.reports.model.Prediction(
                200,
                5,
                List.of(
                    new io.kdensity.reports.model.Prediction.Headroom(
                        "IPv6 (ndisc_cache) neighbour table, gc_thresh3",
                        io.kdensity.probes.finding.FindingCode.NEIGH_TABLE_OVERFLOW,
                        1024,
                        "entries",
                        1750,
                        1926,
                        98,
                        118,
                        "8.8 pinned entries a pod")),
                List.of(
                    new io.kdensity.reports.model.Prediction.CalibrationPoint(
                        40, Map.of("neigh.v6.pinned.steady", 350L))),
                List.of("SOFTNET_DROPS ≤ 0: not modelled")));
  }

  @Test
  void everyWrittenKeyIsDocumentedAndEveryDocumentedKeyWritten() throws Exception {
    JsonNode tree = SummaryJson.MAPPER.readTree(Files.readAllBytes(SummaryJson.write(full(), dir)));
    Set<String> written = new TreeSet<>();
    keys(tree, written);
    String block = schemaBlock();

    Set<String> undocumented = new TreeSet<>();
    for (String k : written) {
      if (!Pattern.compile("(?<![\\w.])" + Pattern.quote(k) + "(?![\\w])").matcher(block).find()) {
        undocumented.add(k);
      }
    }
    assertThat(undocumented)
        .as("keys summary.json has that docs/summary-json.md's schema lacks")
        .isEmpty();

    Set<String> quoted = new TreeSet<>();
    // a key: quoted and followed by ':' or ','; not a value of an alternatives list ("a" | "b")
    Matcher q = Pattern.compile("(?<!\\| )\"([a-zA-Z]+)\"\\s*[:,]").matcher(block);
    while (q.find()) {
      quoted.add(q.group(1));
    }
    assertThat(quoted).hasSizeGreaterThan(20);
    assertThat(written)
        .as("keys docs/summary-json.md's schema quotes that summary.json lacks")
        .containsAll(quoted);
  }
}
