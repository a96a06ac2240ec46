package io.kdensity.scale.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Cause;
import io.kdensity.reports.charts.Charts;
import io.kdensity.reports.model.SoakReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SoakChartsTest {
  /** Three windows of the emulated node: neighbours growing, conntrack idle, leases flat. */
  private static List<SoakReport.Sample> samples() {
    List<SoakReport.Sample> out = new ArrayList<>();
    for (int w = 1; w <= 3; w++) {
      out.add(
          new SoakReport.Sample(
              w,
              w + 1,
              60.0 * (w - 1),
              Instant.EPOCH,
              0,
              0,
              true,
              Map.of(
                  "neigh.v6.gc_entries", 9000.0 + 100 * w,
                  "neigh.v6.gc_thresh3", 65536.0,
                  "conntrack.entries", 0.0,
                  "conntrack.max", 262144.0,
                  "objects.ipam_leases", 1200.0)));
    }
    return out;
  }

  @Test
  @DisplayName(
      "the entries chart leaves out a level that stayed 0 and its limit (conntrack in a namespace that tracks nothing), so gc_thresh3 is the scale")
  void idleLevelsAreLeftOut() {
    SoakCharts.Plot p = SoakCharts.plot(samples(), Cause.ENTRIES_GROWING, false);
    assertThat(p.series()).extracting(Charts.Series::name).containsExactly("neigh.v6.gc_entries");
    assertThat(p.series().get(0).points())
        .extracting(x -> x[0] + " min: " + x[1])
        .containsExactly("0.0 min: 9100.0", "1.0 min: 9200.0", "2.0 min: 9300.0");
    assertThat(p.limits()).containsExactly(new Charts.Limit("neigh.v6.gc_thresh3", 65536));
  }

  @Test
  @DisplayName(
      "the objects chart draws flat lines at 0 above the first window: no leak is a line too")
  void objectsAboveTheFirstWindowStayDrawnAtZero() {
    SoakCharts.Plot p = SoakCharts.plot(samples(), Cause.OBJECTS_NOT_FREED, true);
    assertThat(p.series()).extracting(Charts.Series::name).containsExactly("objects.ipam_leases");
    assertThat(p.series().get(0).points()).allMatch(x -> x[1] == 0);
  }
}
