package io.kdensity.tuning.recommend;

import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Input backlog drops: raise netdev_max_backlog (16,384, or 4× what is in force if larger). An
 * uplink's full broadcast queue: give macvlan's a longer {@code bcqueuelen}; ipvlan's is fixed.
 */
public final class BacklogRule implements RecommendationRule {
  /** The kernel's default netdev_max_backlog. */
  static final long STOCK_BACKLOG = 1000;

  /** Absorbs the neighbour discovery and MLD bursts of 10,000 interfaces coming up. */
  static final long DENSE_BACKLOG = 16_384;

  /** A macvlan broadcast queue that holds ten times the default's burst. */
  static final long DENSE_BC_QUEUE = 10_000;

  @Override
  public FindingCode code() {
    return FindingCode.SOFTNET_DROPS;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    boolean backlog = in.causes().contains(Cause.BACKLOG_FULL);
    boolean broadcastQueue = in.causes().contains(Cause.BROADCAST_QUEUE_FULL);
    List<String> rationale = new ArrayList<>();
    Map<String, String> sysctl = Map.of();
    List<String> actions = new ArrayList<>();
    if (backlog) {
      long now = (long) c.metric(PacketCpuProbe.NETDEV_MAX_BACKLOG, STOCK_BACKLOG);
      rationale.add(
          String.format(
              "Packets were dropped because a CPU's input backlog (netdev_max_backlog %,d) was full.",
              now));
      sysctl =
          Map.of("net.core.netdev_max_backlog", Long.toString(Math.max(DENSE_BACKLOG, 4 * now)));
    }
    if (broadcastQueue) {
      rationale.add(
          "Broadcasts and multicast were dropped on an uplink because its macvlan broadcast queue (or ipvlan multicast backlog) was full: the kernel copies each queued frame to every child, so more children drain it more slowly.");
      actions.add(
          String.format(
              "macvlan: set a longer broadcast queue on any one child of the uplink, e.g. `ip link set <child> type macvlan bcqueuelen %,d` (Linux 5.11+; the port uses the largest length its children ask for), or let the node's own macvlan on that uplink ask for it",
              DENSE_BC_QUEUE));
      actions.add(
          "Fewer children per uplink or fewer broadcasts: spread the pods over more uplinks (VLAN sub-interfaces) and keep ARP sweeps and all-nodes multicast at a modest rate (an IPv6 neighbour solicitation goes to one pod's solicited-node group, which recent kernels deliver without the queue). ipvlan's backlog of 1,000 is fixed.");
    }
    return Optional.of(
        in.recommendation(
            backlog && broadcastQueue
                ? "Raise netdev_max_backlog and the uplinks' broadcast queue"
                : backlog ? "Raise netdev_max_backlog" : "Give the uplinks' broadcast queue room",
            String.join(" ", rationale),
            sysctl,
            Map.of(),
            actions));
  }
}
