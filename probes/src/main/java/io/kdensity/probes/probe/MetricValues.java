package io.kdensity.probes.probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the metrics of one step from {@link Metric} constants, so a value is never filed under a
 * name typed by hand. Not thread-safe: one builder per evaluation.
 */
public final class MetricValues {
  private final Map<String, Double> values = new LinkedHashMap<>();

  public MetricValues put(Metric m, double value) {
    values.put(m.name(), value);
    return this;
  }

  /** Adds every value of {@code other} (declared through its own constants). */
  public MetricValues putAll(MetricValues other) {
    values.putAll(other.values);
    return this;
  }

  /** The values by metric name, in the order they were put. */
  public Map<String, Double> toMap() {
    return values;
  }
}
