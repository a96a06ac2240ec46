package io.kdensity.scale.metrics;

import io.kdensity.config.yaml.Reader;
import io.kdensity.config.yaml.YNode;
import io.kdensity.config.yaml.YNode.YMap;
import io.kdensity.probes.probe.Metric;
import java.time.Duration;
import java.util.Optional;

/**
 * A limit on a step metric as plans' SLOs and gate rules write it: a plain number in the metric's
 * unit, or — for a latency or a duration — a duration ({@code 30s}, {@code 2m}, {@code 500ms}), one
 * unit syntax everywhere.
 */
public final class MetricLimit {
  private MetricLimit() {}

  /**
   * The value of {@code key} in the metric's unit; 0 with an error on the reader when it is missing
   * or bad.
   *
   * @param metricName the metric it limits, or null for a finding count (a number); a name the
   *     catalog does not know is the caller's error, and its duration is read as milliseconds
   */
  public static double read(Reader r, YMap m, String key, String metricName) {
    Optional<Metric> metric =
        metricName == null ? Optional.empty() : StepMetricCatalog.find(metricName);
    Optional<YNode> node = r.opt(m, key);
    if (node.isEmpty()) {
      return r.number(m, key, 0, 0, Double.MAX_VALUE);
    }
    String text = r.scalar(node.get());
    Optional<Duration> d = text == null ? Optional.empty() : Reader.parseDuration(text);
    if (d.isEmpty()) {
      return r.number(m, key, 0, 0, Double.MAX_VALUE);
    }
    Metric.Unit unit =
        metric
            .map(Metric::unit)
            .orElse(metricName == null ? Metric.Unit.COUNT : Metric.Unit.MILLISECONDS);
    return switch (unit) {
      case MILLISECONDS -> d.get().toNanos() / 1e6;
      case SECONDS -> d.get().toNanos() / 1e9;
      default -> {
        r.error(
            node.get(),
            "'"
                + key
                + "' is a duration ("
                + text
                + ") but "
                + metric.map(Metric::name).orElse("a finding count")
                + " is not a time: write a number");
        yield 0;
      }
    };
  }
}
