package io.kdensity.tuning.recommend;

import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Input backlog drops: raise netdev_max_backlog (16,384, or 4× what is in force if larger). */
public final class BacklogRule implements RecommendationRule {
  /** The kernel's default netdev_max_backlog. */
  static final long STOCK_BACKLOG = 1000;

  /** Absorbs the neighbour discovery and MLD bursts of 10,000 interfaces coming up. */
  static final long DENSE_BACKLOG = 16_384;

  @Override
  public FindingCode code() {
    return FindingCode.SOFTNET_DROPS;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    long now = (long) c.metric(PacketCpuProbe.NETDEV_MAX_BACKLOG, STOCK_BACKLOG);
    long backlog = Math.max(DENSE_BACKLOG, 4 * now);
    return Optional.of(
        in.recommendation(
            "Raise netdev_max_backlog",
            String.format(
                "Packets were dropped because a CPU's input backlog (netdev_max_backlog %,d) was full.",
                now),
            Map.of("net.core.netdev_max_backlog", Long.toString(backlog)),
            Map.of(),
            List.of()));
  }
}
