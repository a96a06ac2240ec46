package io.kdensity.scale.compare;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Cause;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.scale.gate.GateTest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {

  @Test
  void kneePerProfileWithRepeatsAndLowerBounds() {
    Map<String, List<RunSummary>> runs = new LinkedHashMap<>();
    runs.put(
        "kernel-defaults",
        List.of(
            GateTest.run(60, 2000, Cause.NEIGHBOUR_TABLE_FULL),
            GateTest.run(80, 2100, Cause.NEIGHBOUR_TABLE_FULL),
            GateTest.run(60, 1900, Cause.NEIGHBOUR_TABLE_FULL)));
    runs.put("recommended", List.of(GateTest.run(1000, 1500, Cause.NEIGHBOUR_TABLE_FULL)));
    Comparison c = new Comparison("default", runs);
    assertThat(c.knees())
        .containsExactly(
            new Comparison.KneeStats("kernel-defaults", 3, 60, 60, 80, false),
            new Comparison.KneeStats("recommended", 1, 100, 100, 100, true));
    String md = c.markdown();
    assertThat(md)
        .contains(
            "| kernel-defaults | 3 | 60 | 60 | 80 | NEIGH_TABLE_OVERFLOW |",
            "| recommended | 1 | ≥ 100 | ≥ 100 | ≥ 100 | – |",
            "## attach.p99 per step",
            "| 40 | 2,000 | 1,500 | -500 |");
    assertThat(c.charts())
        .containsKeys("compare-knee.png", "compare-neigh-v6-entries.png", "compare-attach-p99.png");
  }
}
