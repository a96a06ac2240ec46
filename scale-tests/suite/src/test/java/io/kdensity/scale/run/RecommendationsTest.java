package io.kdensity.scale.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.Prediction.Headroom;
import io.kdensity.tuning.recommend.Recommender;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RecommendationsTest {
  private static Headroom neighbour(String limit, long steady, long peak) {
    return new Headroom(
        limit, FindingCode.NEIGH_TABLE_OVERFLOW, 1024, "entries", steady, peak, 98, 118, "model");
  }

  private static final Prediction AT_200 =
      new Prediction(
          200,
          5,
          List.of(
              neighbour("IPv4 (arp_cache) neighbour table, gc_thresh3", 10, 12),
              neighbour("IPv6 (ndisc_cache) neighbour table, gc_thresh3", 1750, 1926),
              new Headroom(
                  "ports", FindingCode.BRIDGE_PORT_LIMIT, 1023, "ports", 9000, 9000, 1, 1, "x")),
          List.of(),
          List.of());

  @Test
  @DisplayName("the neighbour table is sized from the family the model needs most of, at its peak")
  void sizesFromTheModel() {
    Optional<Recommender.EntriesPerInterface> e = Recommendations.modelled(AT_200, 200, 6);
    assertThat(e).isPresent();
    // 1,926 entries over 200 pods × 6 interfaces
    assertThat(e.get().perInterface()).isEqualTo(1926.0 / 1200);
    assertThat(e.get().modelled()).isTrue();
    assertThat(e.get().basis())
        .startsWith("1,926 entries at 200 pods (1,750 once a step's bring-up is gone), from model");
  }

  @Test
  @DisplayName("no prediction, or one for another density: the run's own count decides")
  void otherwiseNot() {
    assertThat(Recommendations.modelled(null, 200, 6)).isEmpty();
    assertThat(Recommendations.modelled(AT_200, 400, 6)).isEmpty();
  }
}
