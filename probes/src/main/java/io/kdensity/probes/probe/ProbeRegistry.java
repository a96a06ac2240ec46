package io.kdensity.probes.probe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The probes of a run, built once, duplicates rejected, then immutable. */
public final class ProbeRegistry {
  private final List<Probe<?>> probes;

  private ProbeRegistry(List<Probe<?>> probes) {
    this.probes = List.copyOf(probes);
  }

  /**
   * @throws IllegalArgumentException if two probes share a name
   */
  public static ProbeRegistry of(List<? extends Probe<?>> probes) {
    Map<String, Probe<?>> byName = new LinkedHashMap<>();
    for (Probe<?> p : probes) {
      if (byName.putIfAbsent(p.name(), p) != null) {
        throw new IllegalArgumentException("probe '" + p.name() + "' is registered twice");
      }
    }
    return new ProbeRegistry(List.copyOf(byName.values()));
  }

  public List<Probe<?>> probes() {
    return probes;
  }

  public List<String> names() {
    return probes.stream().map(Probe::name).toList();
  }
}
