package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Attach or pod-ready latency over its SLO. */
public final class AttachSlowRule implements RecommendationRule {
  @Override
  public FindingCode code() {
    return FindingCode.ATTACH_SLOW;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    return Optional.of(
        in.recommendation(
            "Attach interfaces faster",
            "Attaching pod interfaces took longer than the SLO allows. CNI plugins wait for IPv6 DAD on every address, and pods are set up with limited parallelism.",
            Map.of(),
            Map.of("net.ipv6.conf.default.accept_dad", "0"),
            List.of(
                "Raise the runtime's sandbox creation parallelism (local target: target.local.attachConcurrency).",
                "Disable DAD in pod namespaces where IPAM guarantees uniqueness.")));
  }
}
