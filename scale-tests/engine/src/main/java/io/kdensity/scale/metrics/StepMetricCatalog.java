package io.kdensity.scale.metrics;

import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.probe.Metric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every metric a step can have, by name: what the probes of {@link DefaultProbes} declare plus the
 * {@link EngineMetrics}. SLOs, gate rules and reports are checked against it, so a metric a probe
 * emits is always usable and a typo is caught with a suggestion.
 */
public final class StepMetricCatalog {
  private static final Map<String, Metric> ALL = build();

  private StepMetricCatalog() {}

  private static Map<String, Metric> build() {
    Map<String, Metric> m =
        new LinkedHashMap<>(DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT).metrics());
    List<Metric> engine = new ArrayList<>(EngineMetrics.all());
    engine.addAll(SoakMetrics.all());
    for (Metric e : engine) {
      if (m.putIfAbsent(e.name(), e) != null) {
        throw new IllegalStateException("metric '" + e.name() + "' declared twice");
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /** Every metric by name, probes' first, in declaration order. */
  public static Map<String, Metric> all() {
    return ALL;
  }

  public static Optional<Metric> find(String name) {
    return Optional.ofNullable(ALL.get(name));
  }

  /** The known metric sharing the longest prefix with {@code name} (at least 3 characters). */
  public static Optional<String> closest(String name) {
    String best = null;
    int bestScore = 0;
    for (String k : ALL.keySet()) {
      int common = 0;
      while (common < Math.min(k.length(), name.length())
          && k.charAt(common) == name.charAt(common)) {
        common++;
      }
      if (common > bestScore) {
        bestScore = common;
        best = k;
      }
    }
    return bestScore >= 3 ? Optional.of(best) : Optional.empty();
  }
}
