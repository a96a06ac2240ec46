package io.kdensity.scale.engine;

import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeRegistry;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.metrics.EngineMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes each step's metrics through Micrometer, one {@link MeterBinder} per probe family (and
 * one for the engine's own), so a user can scrape them (Prometheus) or push them (OTLP) while a
 * ramp runs. Every declared metric gets its gauge once, when the run starts; a gauge shows the
 * latest step's value (NaN until a step has recorded it), tagged with the run id and the family.
 */
public final class StepMeters {
  /** The family tag of the engine's own metrics. */
  static final String ENGINE = "target";

  private final Map<String, Double> latest = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final String runId;

  public StepMeters(MeterRegistry registry, String runId, ProbeRegistry probes) {
    this.registry = registry;
    this.runId = runId;
    Map<String, List<Metric>> families = new LinkedHashMap<>();
    for (Probe<?> p : probes.probes()) {
      families.put(p.name(), p.metrics());
    }
    families.put(ENGINE, EngineMetrics.all());
    families.forEach((family, metrics) -> binder(family, metrics).bindTo(registry));
  }

  /** A binder for one family: a gauge per metric of that family. */
  private MeterBinder binder(String family, List<Metric> metrics) {
    return reg ->
        metrics.stream()
            .map(Metric::name)
            .forEach(
                k ->
                    Gauge.builder("kdensity." + k, latest, m -> m.getOrDefault(k, Double.NaN))
                        .tag("run", runId)
                        .tag("family", family)
                        .register(reg));
  }

  public void record(StepOutcome o) {
    latest.putAll(o.metrics());
  }

  public MeterRegistry registry() {
    return registry;
  }
}
