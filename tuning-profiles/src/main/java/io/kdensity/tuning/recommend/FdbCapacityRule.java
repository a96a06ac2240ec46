package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** More MACs than the switch (or the bridge's fdb_max_learned) holds. */
public final class FdbCapacityRule implements RecommendationRule {
  @Override
  public FindingCode code() {
    return FindingCode.FDB_OVER_CAPACITY;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    return Optional.of(
        in.recommendation(
            "Keep the MAC addresses per switch below its table size",
            "Every macvlan pod interface is a MAC address the top-of-rack switch must learn; past its table size the switch floods unknown unicast to every port.",
            Map.of(),
            Map.of(),
            List.of(
                "Use ipvlan so pods share the node's MAC.",
                "Or spread dense pods over more switch ports/nodes, or use a switch with a larger MAC table.")));
  }
}
