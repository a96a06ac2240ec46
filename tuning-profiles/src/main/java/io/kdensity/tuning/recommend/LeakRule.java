package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Objects of deleted pods that a soak saw pile up. */
public final class LeakRule implements RecommendationRule {
  @Override
  public FindingCode code() {
    return FindingCode.LEAK;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    return Optional.of(
        in.recommendation(
            "Find what does not free a deleted pod's objects",
            "At a constant pod count, objects that every deleted pod should free kept piling up. No sysctl fixes a leak: at the rate in the evidence, the node runs out of them (an IPAM range, the namespace or link limits) after the time the finding gives.",
            Map.of(),
            Map.of(),
            List.of(
                "IPAM leases: check that the runtime calls CNI DEL for every removed sandbox (containerd and CRI-O log 'failed to destroy network'); host-local keeps a file per address under its dataDir.",
                "Namespaces or links: look for sandboxes the runtime no longer lists (crictl pods) whose namespace is still mounted under /run/netns.",
                "Until fixed: budget the leak rate into maintenance windows; a node reboot frees it all.")));
  }
}
