package io.kdensity.probes.probe;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A number emitted at every step under a fixed name: the key in a step's metrics, in {@code
 * summary.json}, in SLOs ({@code {metric: neigh.v6.entries, max: 900}}) and in gate rules. Each
 * metric is a constant of the probe (or engine) that emits it, so a name is written once.
 *
 * <pre>{@code
 * public static final Metric ENTRIES = Metric.count("neigh.v6.entries", "IPv6 neighbour entries");
 * results.put(ENTRIES, stats.entries());
 * }</pre>
 *
 * @param name dotted name, e.g. {@code neigh.v6.entries}
 * @param unit what one unit of the value is
 * @param description one line for documentation and messages
 */
public record Metric(String name, Unit unit, String description) {
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[A-Za-z0-9_]+)*");

  /** What a metric's value measures. */
  public enum Unit {
    /** A number of things (entries, packets, addresses) or a counter's change over the step. */
    COUNT,
    /** A latency or duration. */
    MILLISECONDS,
    /** CPU time or a duration. */
    SECONDS,
    /** A share between 0 and 1. */
    RATIO,
    /** CPU cycles. */
    CYCLES,
    /** Memory pages. */
    PAGES,
    /** Microseconds (a kernel setting). */
    MICROSECONDS,
    /** Things per second (a throughput). */
    PER_SECOND,
    /** Memory, MiB. */
    MEGABYTES,
    /** A clock rate. */
    MEGAHERTZ
  }

  public Metric {
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(description, "description");
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("not a metric name: '" + name + "'");
    }
  }

  /** A count or counter delta. */
  public static Metric count(String name, String description) {
    return new Metric(name, Unit.COUNT, description);
  }

  @Override
  public String toString() {
    return name;
  }
}
