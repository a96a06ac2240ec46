package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A full Linux bridge (1,023 ports): a design change, no setting raises it. */
public final class BridgePortRule implements RecommendationRule {
  @Override
  public FindingCode code() {
    return FindingCode.BRIDGE_PORT_LIMIT;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    return Optional.of(
        in.recommendation(
            "Do not put more than 1,023 pods on one Linux bridge",
            "A Linux bridge holds at most 1,023 ports; the 1,024th attach fails with 'Exchange full'. A bridge-CNI network cannot carry 2,000 pods on one node.",
            Map.of(),
            Map.of(),
            List.of(
                "Use macvlan or ipvlan networks for dense secondary interfaces (no bridge port per pod).",
                "Or split the network across several bridges (one NetworkAttachmentDefinition per 1,000 pods).")));
  }
}
