package io.kdensity.scale.engine;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.model.SloCheck;
import io.kdensity.scale.metrics.EngineMetrics;
import io.kdensity.scale.plan.Slo;
import java.util.ArrayList;
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
        derived.add(attachSlow(s, v));
      }
    }
    List<Finding> all = new ArrayList<>(findings);
    all.addAll(derived);
    for (int i = 0; i < slos.size(); i++) {
      Slo s = slos.get(i);
      if (s.finding() == null) {
        continue;
      }
      long n =
          all.stream()
              .filter(f -> f.code() == s.finding() && f.severity().compareTo(s.severity()) >= 0)
              .count();
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

  private static Finding attachSlow(Slo s, double actualMs) {
    return Finding.of(
            Severity.CRITICAL,
            Cause.LATENCY_OVER_SLO,
            "node",
            String.format("%s: %.0f ms, over the limit of %.0f ms", s.metric(), actualMs, s.max()),
            List.of(Evidence.observed(s.describe(), String.format("%.0f ms", actualMs))))
        .from(Finding.SLO);
  }
}
