package io.kdensity.scale.plan;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;

/**
 * One rule a step must satisfy, in the spirit of ClusterLoader2 and kube-burner thresholds: either
 * a metric at most {@code max}, or at most {@code max} findings of a code (at or above a severity).
 *
 * @param metric step metric name ({@code attach.p99} in ms, {@code softnet.dropped}…), or null
 * @param finding finding code, or null
 * @param severity minimum severity counted for a finding rule
 * @param max the limit
 * @param line where it was declared
 */
public record Slo(String metric, FindingCode finding, Severity severity, double max, int line) {

  /** Whether this rule counts a finding of {@code code} at {@code severity}. */
  public boolean counts(FindingCode code, Severity severity) {
    return finding == code && severity.compareTo(this.severity) >= 0;
  }

  public String describe() {
    if (finding != null) {
      return finding
          + (severity == Severity.CRITICAL ? "" : " (" + severity.name().toLowerCase() + "+)")
          + " ≤ "
          + fmt(max);
    }
    return metric + " ≤ " + fmt(max);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }
}
