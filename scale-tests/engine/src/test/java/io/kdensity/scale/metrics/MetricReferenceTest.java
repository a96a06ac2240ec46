package io.kdensity.scale.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MetricReferenceTest {

  @Test
  void docsMetricsIsTheGeneratedReference() throws Exception {
    String doc = Files.readString(Path.of("../docs/metrics.md"));
    assertThat(doc)
        .as("docs/metrics.md is out of date: ./kdensity metrics > docs/metrics.md")
        .isEqualTo(MetricReference.markdown());
  }

  @Test
  void everyCatalogMetricIsInTheReference() {
    String md = MetricReference.markdown();
    for (String name : StepMetricCatalog.all().keySet()) {
      assertThat(md).contains("| `" + name + "` |");
    }
    // ones the hand-written list in README missed
    assertThat(md).contains("`neigh.v6.gc_thresh3`", "`node.memory_pressure`");
  }
}
