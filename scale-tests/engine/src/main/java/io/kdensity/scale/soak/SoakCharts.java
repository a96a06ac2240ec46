package io.kdensity.scale.soak;

import io.kdensity.probes.finding.Cause;
import io.kdensity.reports.charts.Charts;
import io.kdensity.reports.model.SoakReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A soak's charts over time (minutes since the soak started), one per kind of thing that can drift:
 * table entries against their limits, the run's objects above the first window's count, latencies,
 * kdensity's footprint. Each window's Allure result carries them as they stood at that window.
 */
public final class SoakCharts {
  private SoakCharts() {}

  /** The charts by file name. */
  public static Map<String, byte[]> of(SoakReport report) {
    List<SoakReport.Sample> s = report.samples();
    Map<String, byte[]> out = new LinkedHashMap<>();
    out.put(
        "soak-entries.png",
        chart("Table entries over the soak", "entries", s, Cause.ENTRIES_GROWING, false));
    out.put(
        "soak-objects.png",
        chart(
            "Objects above the first window's (a leak keeps rising)",
            "objects",
            s,
            Cause.OBJECTS_NOT_FREED,
            true));
    out.put(
        "soak-latency.png",
        chart("Latency p99 over the soak", "ms", s, Cause.LATENCY_RISING, false));
    out.put(
        "soak-footprint.png",
        chart(
            "kdensity and the machine over the soak",
            "MiB / count",
            s,
            Cause.MEMORY_GROWING,
            false));
    return out;
  }

  private static byte[] chart(
      String title,
      String yLabel,
      List<SoakReport.Sample> samples,
      Cause cause,
      boolean aboveFirst) {
    Plot p = plot(samples, cause, aboveFirst);
    return Charts.line(title, "minutes into the soak", yLabel, p.series(), p.limits(), null);
  }

  /** What one chart draws: a line per watched figure, a horizontal line per limit. */
  record Plot(List<Charts.Series> series, List<Charts.Limit> limits) {}

  /**
   * The lines of the watched figures with this cause, over the samples.
   *
   * @param aboveFirst each figure less its first window's value (objects: a leak keeps rising)
   */
  static Plot plot(List<SoakReport.Sample> samples, Cause cause, boolean aboveFirst) {
    List<Charts.Series> series = new ArrayList<>();
    List<Charts.Limit> limits = new ArrayList<>();
    for (Watch w : Watch.values()) {
      if (w.cause() != cause) {
        continue;
      }
      String name = w.metric().name();
      List<double[]> pts = new ArrayList<>();
      Double first = null;
      for (SoakReport.Sample x : samples) {
        Double v = x.values().get(name);
        if (v == null) {
          continue;
        }
        first = first == null ? v : first;
        pts.add(new double[] {x.elapsedSeconds() / 60.0, aboveFirst ? v - first : v});
      }
      // a level that stayed 0 (conntrack in the emulated node, which tracks nothing) shows
      // nothing, and its limit would flatten the other lines
      if (pts.isEmpty() || (!aboveFirst && pts.stream().allMatch(p -> p[1] == 0))) {
        continue;
      }
      series.add(new Charts.Series(name, pts));
      if (w.limit() != null && !samples.isEmpty()) {
        Double limit = samples.get(samples.size() - 1).values().get(w.limit().name());
        if (limit != null) {
          limits.add(new Charts.Limit(w.limit().name(), limit));
        }
      }
    }
    return new Plot(series, limits);
  }
}
