package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Send buffer drops: larger default and maximum send buffers. */
public final class SendBufferRule implements RecommendationRule {
  @Override
  public FindingCode code() {
    return FindingCode.SOCKET_SNDBUF_ERRORS;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    return Optional.of(
        in.recommendation(
            "Give sockets larger send buffers",
            "Datagrams were dropped on full socket send buffers.",
            Map.of("net.core.wmem_default", "1048576", "net.core.wmem_max", "16777216"),
            Map.of(),
            List.of()));
  }
}
