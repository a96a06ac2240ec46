package io.kdensity.scale.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.reports.model.Durations;
import io.kdensity.reports.model.Latency;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.Prediction.Headroom;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.tuning.recommend.Recommender;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

  /** A passing step of 40 pods × 6 interfaces, no finding, gc_thresh3 1,024. */
  private static final StepOutcome PASSED_40 =
      new StepOutcome(
          1,
          40,
          240,
          false,
          true,
          Instant.EPOCH,
          new Durations(0, 0, 0, 0, 0, 0, 0, 0),
          Latency.NONE,
          Latency.NONE,
          Map.of(NeighbourProbe.Family.V6.metrics().gcThresh3().name(), 1024.0),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          Map.of());

  @Test
  @DisplayName(
      "a run that passed (predict --pods 200) still sizes the table the model needs at 200 pods")
  void aPredictedOverflowIsRecommendedOn() {
    List<Recommendation> recs =
        Recommendations.of(List.of(PASSED_40), null, 200, 6, 2, List.of(), AT_200);
    assertThat(recs)
        .extracting(Recommendation::code)
        .containsExactly(FindingCode.NEIGH_TABLE_OVERFLOW);
    // 1,926 entries, × 1.5 headroom = 2,889, the next power of two
    assertThat(recs.get(0).title())
        .isEqualTo("Raise the neighbour table limits to gc_thresh3 = 4,096");
    assertThat(recs.get(0).rationale())
        .contains(
            "the capacity model calibrated in this run needs 1.6 per interface",
            "No step of this run reached it: IPv6 (ndisc_cache) neighbour table, gc_thresh3"
                + " predicted full at 98–118 pods: 1,750 entries needed at 200 pods (1,926 in a"
                + " step), gc_thresh3 1,024.");
    // one the density asked does not reach, or a table a step already filled: nothing added
    assertThat(Recommendations.predictedFull(AT_200, 90, List.of())).isEmpty();
    assertThat(Recommendations.of(List.of(PASSED_40), null, 90, 6, 2, List.of(), AT_200)).isEmpty();
  }

  @Test
  @DisplayName("no prediction, or one for another density: the run's own count decides")
  void otherwiseNot() {
    assertThat(Recommendations.modelled(null, 200, 6)).isEmpty();
    assertThat(Recommendations.modelled(AT_200, 400, 6)).isEmpty();
  }
}
