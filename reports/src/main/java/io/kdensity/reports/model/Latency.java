package io.kdensity.reports.model;

/**
 * Latency quantiles of one step in milliseconds (HdrHistogram, 3 significant digits).
 *
 * @param count samples
 */
public record Latency(long count, double p50, double p90, double p99, double max) {
  public static final Latency NONE = new Latency(0, 0, 0, 0, 0);
}
