package io.kdensity.scale.metrics;

import io.kdensity.probes.probe.Metric;
import java.util.Locale;

/**
 * The reference of every step metric — the names SLOs and gate rules take — rendered from the
 * metrics' own declarations ({@link StepMetricCatalog}), so the document cannot fall behind the
 * code: {@code ./kdensity metrics > docs/metrics.md}.
 */
public final class MetricReference {
  private MetricReference() {}

  /** The reference as Markdown. */
  public static String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Step metrics\n\n")
        .append(
            "Every metric a ramp step (or a soak window) records in `summary.json`, usable in a")
        .append(" plan's `slos` and in gate rules. Generated from the declarations in the code by")
        .append(" `./kdensity metrics`; a test keeps this file equal to its output.\n\n")
        .append("| metric | unit | what it is |\n|---|---|---|\n");
    for (Metric m : StepMetricCatalog.all().values()) {
      b.append("| `")
          .append(m.name())
          .append("` | ")
          .append(m.unit().name().toLowerCase(Locale.ROOT).replace('_', ' '))
          .append(" | ")
          .append(m.description().replace("|", "\\|").replace("\n", " "))
          .append(" |\n");
    }
    return b.toString();
  }
}
