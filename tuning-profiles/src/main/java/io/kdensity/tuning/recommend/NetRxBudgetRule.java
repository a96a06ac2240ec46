package io.kdensity.tuning.recommend;

import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** NET_RX out of budget (time_squeeze): double the budget in force, at least 600. */
public final class NetRxBudgetRule implements RecommendationRule {
  /** The kernel's default netdev_budget. */
  static final long STOCK_BUDGET = 300;

  /** 8 ms per NET_RX run: long enough that the packet budget, not the clock, ends a run. */
  static final long BUDGET_USECS = 8000;

  @Override
  public FindingCode code() {
    return FindingCode.SOFTNET_TIME_SQUEEZE;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    long now = (long) c.metric(PacketCpuProbe.NETDEV_BUDGET, STOCK_BUDGET);
    long budget = Math.max(2 * STOCK_BUDGET, 2 * now);
    long usecs = (long) Math.max(BUDGET_USECS, c.metric(PacketCpuProbe.NETDEV_BUDGET_USECS, 0));
    return Optional.of(
        in.recommendation(
            "Give NET_RX more budget and spread it over CPUs",
            String.format(
                "NET_RX processing stopped with packets left (time_squeeze): the per-run budget (netdev_budget %,d, netdev_budget_usecs %,.0f) is too small for the packet rate of a dense node. Twice the budget in force: %,d.",
                now, c.metric(PacketCpuProbe.NETDEV_BUDGET_USECS, 2000), budget),
            Map.of(
                "net.core.netdev_budget",
                Long.toString(budget),
                "net.core.netdev_budget_usecs",
                Long.toString(usecs)),
            Map.of(),
            List.of(
                "Enable RPS on the NICs (rps_cpus mask over all "
                    + c.cpus()
                    + " CPUs) so one CPU is not the bottleneck.")));
  }
}
