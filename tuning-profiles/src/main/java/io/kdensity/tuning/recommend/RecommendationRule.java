package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.Optional;

/**
 * What moves the knee past the findings of one code: the settings (sized from the run's counters)
 * or the design change. One implementation per {@link FindingCode}, in {@code recommend.rules};
 * rules read the findings' typed {@link io.kdensity.probes.finding.Cause}, never their messages.
 */
public interface RecommendationRule {

  /** The finding code this rule answers. */
  FindingCode code();

  /**
   * @return the recommendation, or empty when another code's recommendation already covers it
   *     (addresses lost because the neighbour table refused them)
   */
  Optional<Recommendation> recommend(RuleInput in, Recommender.Context ctx);
}
