package io.kdensity.scale.soak;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.reports.model.TestRuns;
import io.kdensity.scale.engine.Step;
import io.kdensity.scale.plan.Soak;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SoakMonitorTest {
  private final Soak soak =
      new Soak(
          200,
          Duration.ofMinutes(10),
          Duration.ofMinutes(1),
          new Soak.Rate(0.1, Duration.ofMinutes(1)),
          Soak.Rate.NONE,
          Duration.ofSeconds(1),
          0);

  @Test
  @DisplayName(
      "each window keeps what the detector judges with: the figure, its limit and where the kernel starts collecting it; a finding is reported at the window it is first seen")
  void samplesCarryLimitsAndTheCollectorStart() {
    SoakMonitor m = new SoakMonitor(soak, 5);
    String line = "";
    for (int w = 1; w <= 6; w++) {
      StepOutcome o =
          TestRuns.step(w + 1, 200)
              .metric("neigh.v6.gc_entries", 8800 + 100 * w)
              .metric("neigh.v6.gc_thresh1", 16384)
              .metric("neigh.v6.gc_thresh3", 65536)
              .metric("softirq.net_rx", 5)
              .build();
      line =
          m.record(
              new Step(w + 1, 200, false, new Step.Window(w, Duration.ofMinutes(w - 1), 20, 0)), o);
    }
    assertThat(m.report().samples().get(0).values())
        .containsOnlyKeys("neigh.v6.gc_entries", "neigh.v6.gc_thresh1", "neigh.v6.gc_thresh3");
    assertThat(m.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.message()).contains("neigh.v6.gc_thresh1 (16,384) in ~");
            });
    assertThat(m.report().detectedAt()).containsEntry("neigh.v6.gc_entries", 4);
    assertThat(line)
        .startsWith("soak 05:00 of 10:00 (04:00 left): window 6 passed, 20 pods churned")
        .endsWith("1 leak/drift findings (see the report)");
  }
}
