package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.probe.Metric;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns findings into recommendations: for each bottleneck the settings (sized from the plan's
 * target density and the measured counters) or the design change that moves the knee. Each finding
 * code has one {@link RecommendationRule}; the set is checked complete when the class loads.
 *
 * <pre>{@code
 * List<Recommendation> recs =
 *     Recommender.recommend(findings, new Recommender.Context(2000, 6, 85, 510, metrics, 2, 3.2));
 * String yaml = RecommendedProfile.yaml(recs, "recommended", "kernel-defaults", "run abc123");
 * }</pre>
 */
public final class Recommender {

  /**
   * What the rules size against.
   *
   * @param targetPods the density the plan aims for (its largest step)
   * @param interfacesPerPod pod interfaces including eth0
   * @param kneePods first failing pod count, 0 if none
   * @param kneeInterfaces pod interfaces at the knee
   * @param metrics metrics of the knee step (or the last step): current limits and rates
   * @param cpus logical CPUs of the node
   * @param entries IPv6 neighbour entries per pod interface on the node's own side, and where the
   *     run measured them
   */
  public record Context(
      int targetPods,
      int interfacesPerPod,
      int kneePods,
      int kneeInterfaces,
      Map<String, Double> metrics,
      int cpus,
      EntriesPerInterface entries) {
    public Context {
      metrics = Map.copyOf(metrics);
    }

    /** A context whose entries per interface were measured at an unnamed step (tests). */
    public Context(
        int targetPods,
        int interfacesPerPod,
        int kneePods,
        int kneeInterfaces,
        Map<String, Double> metrics,
        int cpus,
        double entriesPerInterface) {
      this(
          targetPods,
          interfacesPerPod,
          kneePods,
          kneeInterfaces,
          metrics,
          cpus,
          entriesPerInterface > 0
              ? new EntriesPerInterface(entriesPerInterface, "a step of this run")
              : EntriesPerInterface.UNKNOWN);
    }

    /** Entries per interface, 0 if unknown. */
    public double entriesPerInterface() {
      return entries.perInterface();
    }

    /** The value of a metric at the knee (or last) step, or {@code dflt} if not measured. */
    public double metric(Metric m, double dflt) {
      return metrics.getOrDefault(m.name(), dflt);
    }
  }

  /**
   * What one pod interface costs the node in IPv6 neighbour entries.
   *
   * @param perInterface entries per interface, 0 if unknown
   * @param basis where it was measured ("step 3 (360 interfaces, no forced GC)"), or how the
   *     capacity model reached it
   * @param modelled from the capacity model's prediction (pinned entries at the target density,
   *     with a plain step's transient), not from one step's count
   */
  public record EntriesPerInterface(double perInterface, String basis, boolean modelled) {
    public static final EntriesPerInterface UNKNOWN = new EntriesPerInterface(0, "", false);

    /** Counted at a step of the run. */
    public EntriesPerInterface(double perInterface, String basis) {
      this(perInterface, basis, false);
    }
  }

  private static final Map<FindingCode, RecommendationRule> RULES =
      rules(
          new NeighbourTableRule(),
          new BridgePortRule(),
          new PromiscuousRule(),
          new FdbCapacityRule(),
          new NetRxBudgetRule(),
          new BacklogRule(),
          new ReceiveBufferRule(),
          new SendBufferRule(),
          new ConntrackMaxRule(),
          new IpLossRule(),
          new AttachSlowRule(),
          new AttachFailedRule(),
          new LeakRule(),
          new DriftRule());

  private static Map<FindingCode, RecommendationRule> rules(RecommendationRule... rules) {
    Map<FindingCode, RecommendationRule> m = new EnumMap<>(FindingCode.class);
    for (RecommendationRule r : rules) {
      if (m.putIfAbsent(r.code(), r) != null) {
        throw new IllegalStateException("two recommendation rules for " + r.code());
      }
    }
    for (FindingCode c : FindingCode.values()) {
      if (!m.containsKey(c)) {
        throw new IllegalStateException("no recommendation rule for " + c);
      }
    }
    return m;
  }

  private Recommender() {}

  /** Recommendations for the findings, most important first; one per recommendation id. */
  public static List<Recommendation> recommend(List<Finding> findings, Context ctx) {
    Map<FindingCode, List<Finding>> byCode =
        findings.stream()
            .collect(Collectors.groupingBy(Finding::code, LinkedHashMap::new, Collectors.toList()));
    List<Recommendation> out = new ArrayList<>();
    for (Map.Entry<FindingCode, List<Finding>> e : byCode.entrySet()) {
      Optional<Recommendation> r =
          RULES.get(e.getKey()).recommend(new RuleInput(e.getValue(), byCode.keySet()), ctx);
      r.filter(x -> out.stream().noneMatch(y -> y.id().equals(x.id()))).ifPresent(out::add);
    }
    out.sort(Comparator.comparingLong(Recommendation::impact).reversed());
    return out;
  }
}
