package io.kdensity.reports.model;

import io.kdensity.probes.finding.FindingCode;

/**
 * One SLO evaluated at one step.
 *
 * @param rule the rule as written, e.g. {@code attach.p99 ≤ 3000}
 * @param metric the metric the rule limits, or null for a finding rule
 * @param finding the finding code the rule counts, or null for a metric rule
 * @param actual the value measured
 * @param limit the limit
 * @param passed whether the step satisfied it
 */
public record SloCheck(
    String rule, String metric, FindingCode finding, double actual, double limit, boolean passed) {
  public SloCheck {
    if ((metric == null) == (finding == null)) {
      throw new IllegalArgumentException("an SLO limits a metric or counts findings: " + rule);
    }
  }

  /** A metric rule's result. */
  public static SloCheck ofMetric(String rule, String metric, double actual, double limit) {
    return new SloCheck(rule, metric, null, actual, limit, actual <= limit);
  }

  /** A finding rule's result. */
  public static SloCheck ofFinding(String rule, FindingCode code, double actual, double limit) {
    return new SloCheck(rule, null, code, actual, limit, actual <= limit);
  }
}
