package io.kdensity.scale.engine;

import io.kdensity.reports.model.StepOutcome;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Publishes each step's metrics through Micrometer, one {@link MeterBinder} per probe family, so a
 * user can scrape them (Prometheus) or push them (OTLP) while a ramp runs. Gauges show the latest
 * step's values, tagged with the run id.
 */
public final class StepMeters {
  /** Metric name prefixes of each probe family, and the target's own. */
  static final Map<String, List<String>> FAMILIES =
      Map.of(
          "ip-loss", List.of("ip."),
          "neighbour", List.of("neigh."),
          "mac-table", List.of("l2."),
          "packet-cpu", List.of("softnet.", "softirq."),
          "socket-buffer", List.of("sock."),
          "target", List.of("attach.", "ready.", "pods", "interfaces"));

  private final Map<String, Double> latest = new ConcurrentHashMap<>();
  private final MeterRegistry registry;
  private final String runId;
  private final Map<String, Boolean> bound = new ConcurrentHashMap<>();

  public StepMeters(MeterRegistry registry, String runId) {
    this.registry = registry;
    this.runId = runId;
  }

  /** A binder for one family: registers a gauge per metric of that family seen so far. */
  MeterBinder binder(String family) {
    return reg ->
        latest.keySet().stream()
            .filter(k -> FAMILIES.get(family).stream().anyMatch(k::startsWith))
            .filter(k -> bound.putIfAbsent(k, true) == null)
            .forEach(
                k ->
                    Gauge.builder("kdensity." + k, latest, m -> m.getOrDefault(k, Double.NaN))
                        .tag("run", runId)
                        .tag("family", family)
                        .register(reg));
  }

  public void record(StepOutcome o) {
    latest.putAll(o.metrics());
    latest.put("step", (double) o.index());
    FAMILIES.keySet().forEach(f -> binder(f).bindTo(registry));
  }

  public MeterRegistry registry() {
    return registry;
  }
}
