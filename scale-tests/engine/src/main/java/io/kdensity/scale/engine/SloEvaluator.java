package io.kdensity.scale.engine;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.model.SloCheck;
import io.kdensity.scale.metrics.EngineMetrics;
import io.kdensity.scale.plan.Slo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a plan's SLOs on one step, once: metric rules first; a failed latency rule becomes an
 * {@code ATTACH_SLOW} finding; then finding rules count the findings, those included.
 */
public final class SloEvaluator {
  private SloEvaluator() {}

  /**
   * @param checks every rule's result, in the plan's order
   * @param derived findings the rules themselves produced ({@code ATTACH_SLOW})
   */
  public record Evaluation(List<SloCheck> checks, List<Finding> derived) {
    public Evaluation {
      checks = List.copyOf(checks);
      derived = List.copyOf(derived);
    }

    public boolean passed() {
      return checks.stream().allMatch(SloCheck::passed);
    }
  }

  public static Evaluation evaluate(
      List<Slo> slos, Map<String, Double> metrics, List<Finding> findings) {
    SloCheck[] checks = new SloCheck[slos.size()];
    List<Finding> derived = new ArrayList<>();
    for (int i = 0; i < slos.size(); i++) {
      Slo s = slos.get(i);
      if (s.metric() == null) {
        continue;
      }
      Double v = metrics.get(s.metric());
      if (v == null) {
        continue; // not measured at this step (e.g. no pod was created): nothing to judge
      }
      checks[i] = SloCheck.ofMetric(s.describe(), s.metric(), v, s.max());
      if (!checks[i].passed() && EngineMetrics.isLatency(s.metric())) {
        derived.add(attachSlow(s, v, metrics));
      }
    }
    List<Finding> all = new ArrayList<>(findings);
    all.addAll(derived);
    for (int i = 0; i < slos.size(); i++) {
      Slo s = slos.get(i);
      if (s.finding() == null) {
        continue;
      }
      long n = all.stream().filter(f -> s.counts(f.code(), f.severity())).count();
      checks[i] = SloCheck.ofFinding(s.describe(), s.finding(), n, s.max());
    }
    List<SloCheck> out = new ArrayList<>();
    for (SloCheck c : checks) {
      if (c != null) {
        out.add(c);
      }
    }
    return new Evaluation(out, derived);
  }

  private static Finding attachSlow(Slo s, double actualMs, Map<String, Double> metrics) {
    List<Evidence> evidence = new ArrayList<>();
    evidence.add(Evidence.observed(s.describe(), String.format("%.0f ms", actualMs)));
    List<Stage> stages = stages(metrics);
    stages.forEach(
        st ->
            evidence.add(
                Evidence.observed(
                    "attach stage: " + st.name(),
                    String.format("p50 %.0f ms, p99 %.0f ms", st.p50(), st.p99()))));
    boolean onAStage =
        stages.stream()
            .flatMap(st -> st.latency().all().stream())
            .anyMatch(m -> m.name().equals(s.metric()));
    String slowest =
        stages.isEmpty() || onAStage
            ? ""
            : String.format(
                "; slowest stage: %s (p99 %.0f ms)", stages.get(0).name(), stages.get(0).p99());
    return Finding.of(
            Severity.CRITICAL,
            Cause.LATENCY_OVER_SLO,
            "node",
            String.format(
                "%s: %.0f ms, over the limit of %.0f ms%s", s.metric(), actualMs, s.max(), slowest),
            evidence)
        .from(Finding.SLO);
  }

  /** A stage of the attach measured at the step ({@link EngineMetrics#STAGE_SANDBOX}, ADDs). */
  private record Stage(String name, EngineMetrics.Latency latency, double p50, double p99) {}

  /** The step's attach stages, slowest p99 first; none where the target does not see them. */
  private static List<Stage> stages(Map<String, Double> metrics) {
    List<Stage> out = new ArrayList<>();
    EngineMetrics.STAGES.forEach(
        (name, l) -> {
          Double p99 = metrics.get(l.p99().name());
          if (p99 != null) {
            out.add(new Stage(name, l, metrics.getOrDefault(l.p50().name(), p99), p99));
          }
        });
    out.sort(Comparator.comparingDouble(Stage::p99).reversed());
    return out;
  }
}
