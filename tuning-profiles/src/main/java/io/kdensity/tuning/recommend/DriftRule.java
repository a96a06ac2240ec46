package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A soak figure that kept moving one way at a constant pod count. */
public final class DriftRule implements RecommendationRule {
  @Override
  public FindingCode code() {
    return FindingCode.DRIFT;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    List<String> actions = new ArrayList<>();
    if (in.causes().contains(Cause.ENTRIES_GROWING)) {
      actions.add(
          "Neighbour or MAC entries grow with churn: entries of gone pods are left to garbage collection, which does not run below gc_thresh1. Lower gc_stale_time or size gc_thresh3 above the steady state plus the churn; the finding gives when the limit is reached.");
    }
    if (in.causes().contains(Cause.LATENCY_RISING)) {
      actions.add(
          "Attach latency rises over time: look for state the plugins scan on every ADD (host-local lease files, iptables rules) growing with churn.");
    }
    if (in.causes().contains(Cause.MEMORY_GROWING)) {
      actions.add(
          "Memory or descriptors grow: the evidence names the process; run the soak longer to see whether it levels off before the machine's limit.");
    }
    if (in.causes().contains(Cause.COUNTER_MOVING) || in.causes().contains(Cause.LOSS_APPEARED)) {
      actions.add(
          "Drops or lost addresses appeared only after a while: compare the windows before and after in the report; a table near its limit or a timer (gc, DAD on flapped links) is the usual cause.");
    }
    return Optional.of(
        in.recommendation(
            "Stop what drifts before it reaches its limit",
            "At a constant pod count, a figure kept moving one way across the soak's windows (a trend test, not one noisy window). It is fine today and will not be after the time the finding gives.",
            Map.of(),
            Map.of(),
            actions));
  }
}
