package io.kdensity.scale.engine;

import io.kdensity.probes.finding.Finding;
import io.kdensity.reports.model.SloCheck;
import io.kdensity.scale.plan.Slo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Evaluates a plan's SLOs against one step's metrics and findings. */
public final class SloEvaluator {
  private SloEvaluator() {}

  public static List<SloCheck> evaluate(
      List<Slo> slos, Map<String, Double> metrics, List<Finding> findings) {
    List<SloCheck> out = new ArrayList<>();
    for (Slo s : slos) {
      double actual;
      if (s.finding() != null) {
        actual =
            findings.stream()
                .filter(f -> f.code() == s.finding() && f.severity().compareTo(s.severity()) >= 0)
                .count();
      } else {
        Double v = metrics.get(s.metric());
        if (v == null) {
          continue; // not measured at this step (e.g. no pod was created): nothing to judge
        }
        actual = v;
      }
      out.add(new SloCheck(s.describe(), actual, s.max(), actual <= s.max()));
    }
    return out;
  }
}
