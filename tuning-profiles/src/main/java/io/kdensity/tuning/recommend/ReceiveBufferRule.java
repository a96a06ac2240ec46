package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Receive buffer drops (UDP) or pruned TCP queues: larger default and maximum buffers. */
public final class ReceiveBufferRule implements RecommendationRule {
  @Override
  public FindingCode code() {
    return FindingCode.SOCKET_RCVBUF_ERRORS;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    boolean udp = in.causes().contains(Cause.RECEIVE_BUFFER_FULL);
    Map<String, String> s = new LinkedHashMap<>();
    s.put("net.core.rmem_default", "1048576");
    s.put("net.core.rmem_max", "16777216");
    if (!udp) {
      s.put("net.ipv4.tcp_rmem", "4096 131072 16777216");
    }
    return Optional.of(
        in.recommendation(
            "Give sockets larger receive buffers",
            udp
                ? "Datagrams were dropped on full socket receive buffers: the application reads slower than bursts arrive."
                : "TCP pruned or collapsed receive queues: socket memory ran short under the step's load.",
            s,
            Map.of(),
            List.of("Let applications set SO_RCVBUF up to rmem_max.")));
  }
}
