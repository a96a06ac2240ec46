package io.kdensity.scale.cli;

import io.kdensity.reports.model.RunSummary;

/** Short texts about a run for the terminal. */
final class Report {
  private Report() {}

  static String oneLine(RunSummary s) {
    if (s.knee() == null) {
      int max = s.steps().stream().mapToInt(x -> x.pods()).max().orElse(0);
      return String.format(
          "verdict %s: no knee up to %,d pods × %d interfaces (%d steps)",
          s.verdict(), max, s.secondaryPerPod(), s.steps().size());
    }
    var k = s.knee();
    return String.format(
        "verdict %s: knee at %,d pods × %d interfaces (%,d pod interfaces; %,d pods passed), limited by %s",
        s.verdict(),
        k.firstFailingPods(),
        s.secondaryPerPod(),
        k.interfaces(),
        k.lastPassingPods(),
        k.limiting().isEmpty()
            ? "SLOs"
            : k.limiting().get(0).code() + " (" + k.limiting().get(0).message() + ")");
  }
}
