package io.kdensity.probes.probe;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The probes of a run, built once, duplicates rejected, then immutable. */
public final class ProbeRegistry {
  private final List<Probe<?>> probes;
  private final Map<String, Metric> metrics;

  private ProbeRegistry(List<Probe<?>> probes, Map<String, Metric> metrics) {
    this.probes = List.copyOf(probes);
    this.metrics = Collections.unmodifiableMap(metrics);
  }

  /**
   * @throws IllegalArgumentException if two probes share a name, or declare the same metric
   */
  public static ProbeRegistry of(List<? extends Probe<?>> probes) {
    Map<String, Probe<?>> byName = new LinkedHashMap<>();
    Map<String, Metric> metrics = new LinkedHashMap<>();
    Map<String, String> owner = new LinkedHashMap<>();
    for (Probe<?> p : probes) {
      if (byName.putIfAbsent(p.name(), p) != null) {
        throw new IllegalArgumentException("probe '" + p.name() + "' is registered twice");
      }
      for (Metric m : p.metrics()) {
        String other = owner.putIfAbsent(m.name(), p.name());
        if (other != null) {
          throw new IllegalArgumentException(
              "metric '"
                  + m.name()
                  + "' is declared by probes '"
                  + other
                  + "' and '"
                  + p.name()
                  + "'");
        }
        metrics.put(m.name(), m);
      }
    }
    return new ProbeRegistry(List.copyOf(byName.values()), metrics);
  }

  /** Every metric the probes declare, by name, in registration order. */
  public Map<String, Metric> metrics() {
    return metrics;
  }

  /** The metrics of one probe. */
  public List<Metric> metricsOf(String probe) {
    return probes.stream()
        .filter(p -> p.name().equals(probe))
        .findFirst()
        .map(Probe::metrics)
        .orElse(List.of());
  }

  public List<Probe<?>> probes() {
    return probes;
  }

  public List<String> names() {
    return probes.stream().map(Probe::name).toList();
  }
}
