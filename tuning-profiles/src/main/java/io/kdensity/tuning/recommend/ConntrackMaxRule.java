package io.kdensity.tuning.recommend;

import io.kdensity.probes.conntrack.ConntrackProbe;
import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A full connection tracking table: a larger {@code nf_conntrack_max}, sized for the target density
 * from the knee (at the knee the table held its limit, so a pod tracked at least limit ÷ knee pods
 * entries): what is in force, doubled until it holds 1.5× that, and at least doubled once.
 */
public final class ConntrackMaxRule implements RecommendationRule {
  /**
   * The default on a machine of 4 GiB or more (Linux 6.18 here): used when no step read the limit.
   */
  static final long STOCK_MAX = 262_144;

  @Override
  public FindingCode code() {
    return FindingCode.CONNTRACK_TABLE_FULL;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    long now = (long) c.metric(ConntrackProbe.MAX_ENTRIES, STOCK_MAX);
    boolean full = !in.causes().equals(Set.of(Cause.CONNTRACK_NEAR_LIMIT));
    // a full table held its limit (a step's end counts fewer: entries of ended flows expire)
    long held = full ? now : (long) c.metric(ConntrackProbe.ENTRIES, now);
    long needed =
        c.kneePods() > 0 ? (long) Math.ceil((double) held * c.targetPods() / c.kneePods()) : 0;
    long max = 2 * now;
    while (max < needed * 3 / 2) {
      max <<= 1;
    }
    String happened =
        in.causes().contains(Cause.CONNTRACK_DROPPING)
            ? "Packets of new connections were dropped because the node's connection tracking"
                + " table was full"
            : in.causes().contains(Cause.CONNTRACK_EVICTING)
                ? "Unassured connections were evicted because the node's connection tracking table"
                    + " was full"
                : "The node's connection tracking table came near its limit";
    String sizing =
        needed > 0
            ? String.format(
                " It held %,d entries at %d pods, so %,d pods need at least %,d; with 1.5×"
                    + " headroom, %,d.",
                held, c.kneePods(), c.targetPods(), needed, max)
            : String.format(" Twice the %,d in force: %,d.", now, max);
    return Optional.of(
        in.recommendation(
            "Raise nf_conntrack_max",
            happened
                + String.format(" (nf_conntrack_max %,d)", now)
                + "; the kernel counts each namespace's entries against this one node-wide limit."
                + sizing,
            Map.of("net.netfilter.nf_conntrack_max", Long.toString(max)),
            Map.of(),
            List.of(
                "Apply as a node-wide sysctl (sysctl.d drop-in or the Node Tuning Operator); a pod"
                    + " namespace cannot set it. On a node that runs kube-proxy, raise its"
                    + " conntrack.maxPerCore (--conntrack-max-per-core) and conntrack.min instead:"
                    + " it sets nf_conntrack_max from them when it starts, over the sysctl.",
                "Keep the hash table's chains short: nf_conntrack_buckets (or the nf_conntrack"
                    + " module's hashsize) at a quarter of nf_conntrack_max or more.",
                "Where flows are short-lived (UDP, probes), shorter nf_conntrack_udp_timeout and"
                    + " nf_conntrack_icmp_timeout free entries sooner.")));
  }
}
