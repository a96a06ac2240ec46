package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.neigh.NeighbourProbe;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Neighbour table overflow: raise gc_thresh1/2/3, sized from the measured entries per interface.
 */
public final class NeighbourTableRule implements RecommendationRule {
  /** Assumed entries per pod interface when the run measured none: its own and its gateway's. */
  static final double MIN_ENTRIES_PER_INTERFACE = 2.0;

  /** Smallest gc_thresh3 recommended: the kernel's default. */
  static final long STOCK_GC_THRESH3 = 1024;

  @Override
  public FindingCode code() {
    return FindingCode.NEIGH_TABLE_OVERFLOW;
  }

  @Override
  public Optional<Recommendation> recommend(RuleInput in, Recommender.Context c) {
    // the model's figure is a need at the target density; a step's count can be held low by forced
    // GC, so it is never taken below the assumed minimum
    double perIf =
        c.entries().modelled()
            ? c.entriesPerInterface()
            : Math.max(MIN_ENTRIES_PER_INTERFACE, c.entriesPerInterface());
    long needed = (long) Math.ceil(c.targetPods() * c.interfacesPerPod() * perIf);
    long t3 = powerOfTwoAtLeast(needed * 3 / 2);
    Map<String, String> s = new LinkedHashMap<>();
    for (NeighbourProbe.Family f : NeighbourProbe.Family.values()) {
      s.put(f.gcThreshKey(1), Long.toString(Math.min(needed, t3 / 4)));
      s.put(f.gcThreshKey(2), Long.toString(t3 * 3 / 4));
      s.put(f.gcThreshKey(3), Long.toString(t3));
    }
    return Optional.of(
        in.recommendation(
            String.format("Raise the neighbour table limits to gc_thresh3 = %,d", t3),
            String.format(
                "The neighbour table is one per node, shared by every pod namespace. Each pod interface needs entries on the node (the pod's entry for its gateway, the node's entry for a routed pod, link-local and multicast ones); %s. %,d pods × %,d interfaces × %.1f = %,d entries, against gc_thresh3 = %,.0f now. %s Sized with 1.5× headroom, rounded up to a power of two.",
                c.entries().modelled()
                    ? String.format(
                        "the capacity model calibrated in this run needs %.1f per interface: %s",
                        c.entries().perInterface(), c.entries().basis())
                    : c.entries().perInterface() > 0
                        ? String.format(
                            "this run measured %.1f per interface on the node's own side at %s",
                            c.entries().perInterface(), c.entries().basis())
                        : "this run measured none, so two per interface are assumed",
                c.targetPods(),
                c.interfacesPerPod(),
                perIf,
                needed,
                c.metric(NeighbourProbe.Family.V6.metrics().gcThresh3(), STOCK_GC_THRESH3),
                c.kneePods() > 0
                    ? String.format(
                        "The knee is at %,d pods (%,d interfaces).",
                        c.kneePods(), c.kneeInterfaces())
                    : "No step of this run reached it: " + in.first().message() + "."),
            s,
            Map.of(),
            List.of(
                "Apply as a node-wide sysctl (sysctl.d drop-in or the Node Tuning Operator); it cannot be set per pod.")));
  }

  static long powerOfTwoAtLeast(long v) {
    long p = STOCK_GC_THRESH3;
    while (p < v) {
      p <<= 1;
    }
    return p;
  }
}
