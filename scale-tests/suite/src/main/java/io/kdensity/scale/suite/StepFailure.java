package io.kdensity.scale.suite;

import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.model.StepOutcome;
import java.util.Comparator;
import java.util.List;

/** Why a failed step's test fails, as JUnit and Allure show it. */
final class StepFailure {
  private StepFailure() {}

  /**
   * The message a failed step's test fails with: the limiting finding first (for Allure
   * categories).
   */
  static String message(StepOutcome o) {
    StringBuilder sb = new StringBuilder();
    List<Finding> critical =
        o.findings().stream()
            .filter(f -> f.severity() == Severity.CRITICAL)
            .sorted(Comparator.comparing((Finding f) -> f.code().symptom()))
            .toList();
    if (!critical.isEmpty()) {
      sb.append(critical.get(0).code()).append(": ").append(critical.get(0).message());
      for (Finding f : critical.subList(1, critical.size())) {
        sb.append("\n").append(f.code()).append(": ").append(f.message());
      }
    } else {
      sb.append("SLO failed");
    }
    o.slos().stream()
        .filter(c -> !c.passed())
        .forEach(
            c ->
                sb.append("\nSLO failed: ")
                    .append(c.rule())
                    .append(" (actual ")
                    .append(c.actual())
                    .append(")"));
    return sb.toString();
  }
}
