package io.kdensity.reports.model;

/**
 * One SLO evaluated at one step.
 *
 * @param rule the rule as written, e.g. {@code attach.p99 ≤ 3000}
 * @param actual the value measured
 * @param limit the limit
 * @param passed whether the step satisfied it
 */
public record SloCheck(String rule, double actual, double limit, boolean passed) {}
