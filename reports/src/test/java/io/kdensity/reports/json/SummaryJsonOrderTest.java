package io.kdensity.reports.json;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.reports.ReportsTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A step's metrics are held in an immutable map whose order changes from JVM to JVM; summary.json
 * writes them by name, so a baseline and a new run diff line by line.
 */
class SummaryJsonOrderTest {
  @TempDir Path dir;

  @Test
  void metricMapsAreWrittenInNameOrder() throws Exception {
    var summary = ReportsTest.summary();
    // an immutable map (StepOutcome copies with Map.copyOf) iterates in a per-JVM random order
    List<String> recorded = new ArrayList<>(summary.steps().get(0).metrics().keySet());
    assertThat(recorded).hasSizeGreaterThan(4);

    Path file = SummaryJson.write(summary, dir);
    JsonNode metrics =
        SummaryJson.MAPPER.readTree(Files.readString(file)).get("steps").get(0).get("metrics");
    List<String> written = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : metrics.properties()) {
      written.add(e.getKey());
    }

    assertThat(written).containsExactlyInAnyOrderElementsOf(recorded).isSorted();
  }
}
