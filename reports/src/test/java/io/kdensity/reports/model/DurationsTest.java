package io.kdensity.reports.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kdensity.reports.json.SummaryJson;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void theHarnessShareCountsProbesSettlePollingAndScaleOrchestration() {
    // scale 20 s (0.3 s of it the harness's own), settle 1 s (40 ms of it looking), probes 0.6 s
    Durations d = new Durations(20_000, 1_000, 600, 2_000, 23_600, 250, 300, 40);

    assertThat(d.harness()).isEqualTo(600 + 40 + 300);
    assertThat(d.overheadShare()).isCloseTo(940.0 / 23_600, within(1e-12));
    assertThat(d.probesAfterTraffic()).isEqualTo(350);
  }

  @Test
  void aStepOfNoTimeHasNoShare() {
    assertThat(new Durations(0, 0, 0, 0, 0, 0, 0, 0).overheadShare()).isZero();
  }

  @Test
  void aSummaryWrittenBeforeThePartsWereRecordedReadsThemAsZero() throws Exception {
    Durations d =
        SummaryJson.MAPPER.readValue(
            "{\"scale\":20000,\"settle\":100,\"probes\":600,\"traffic\":2000,\"total\":22800}",
            Durations.class);

    assertThat(d.probesBeforeTraffic()).isZero();
    assertThat(d.scaleOrchestration()).isZero();
    assertThat(d.settlePolling()).isZero();
    assertThat(d.overheadShare()).isCloseTo(600.0 / 22_800, within(1e-12));
  }
}
