package io.kdensity.scale.metrics;

import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.process.ProcessFootprint;
import java.util.ArrayList;
import java.util.List;

/**
 * What the engine adds to every step for a soak's leak and drift detection: the objects the run
 * holds on the node ({@link NodeObject}), kdensity's own footprint ({@link ProcessFootprint}), and
 * what a soak window did before measuring (pods churned, links flapped).
 */
public final class SoakMetrics {
  private SoakMetrics() {}

  public static final Metric CHURNED =
      Metric.count("soak.churned", "pods deleted and created again before the window's sweep");
  public static final Metric FLAPPED =
      Metric.count("soak.flapped", "pod links whose carrier went away before the window's sweep");

  /** Every metric this class names or gathers. */
  public static List<Metric> all() {
    List<Metric> m = new ArrayList<>(List.of(CHURNED, FLAPPED));
    for (NodeObject o : NodeObject.values()) {
      m.add(o.metric());
    }
    m.addAll(ProcessFootprint.metrics());
    return m;
  }
}
