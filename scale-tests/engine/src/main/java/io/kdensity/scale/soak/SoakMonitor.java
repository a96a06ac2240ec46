package io.kdensity.scale.soak;

import io.kdensity.probes.finding.Finding;
import io.kdensity.reports.model.SoakReport;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.engine.Progress;
import io.kdensity.scale.engine.Step;
import io.kdensity.scale.metrics.SoakMetrics;
import io.kdensity.scale.plan.Soak;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows a soak window by window: keeps each window's watched figures as a {@link
 * SoakReport.Sample}, runs the {@link DriftDetector} after each (so a leak is reported at the
 * window it becomes certain, not at the end), and says where the soak stands.
 */
public final class SoakMonitor {
  private final Soak soak;
  private final int secondaryPerPod;
  private final List<SoakReport.Sample> samples = new ArrayList<>();
  private final Map<String, Integer> detectedAt = new LinkedHashMap<>();
  private List<Finding> findings = List.of();

  public SoakMonitor(Soak soak, int secondaryPerPod) {
    this.soak = soak;
    this.secondaryPerPod = secondaryPerPod;
  }

  /**
   * Records a window's outcome.
   *
   * @return the progress line: elapsed and remaining time, what the window did, the latest finding
   */
  public synchronized String record(Step step, StepOutcome o) {
    Step.Window w = step.window();
    Map<String, Double> values = new LinkedHashMap<>();
    for (Watch watch : Watch.values()) {
      put(values, o, watch.metric().name());
      if (watch.limit() != null) {
        put(values, o, watch.limit().name());
      }
      if (watch.collectorStart() != null) {
        put(values, o, watch.collectorStart().name());
      }
    }
    samples.add(
        new SoakReport.Sample(
            w.number(),
            o.index(),
            w.at().toMillis() / 1000.0,
            o.started(),
            w.churn(),
            (int) Math.round(o.metrics().getOrDefault(SoakMetrics.FLAPPED.name(), 0.0)),
            o.passed(),
            values));
    findings = DriftDetector.detect(samples);
    Finding latest = null;
    for (Finding f : findings) {
      if (detectedAt.putIfAbsent(f.subject(), w.number()) == null) {
        latest = f;
      }
    }
    Duration left = soak.duration().minus(w.at()).minus(soak.interval());
    return String.format(
        "soak %s of %s (%s left): window %d %s, %d pods churned, %d links flapped; %s",
        Progress.clock(w.at()),
        Progress.clock(soak.duration()),
        Progress.clock(left.isNegative() ? Duration.ZERO : left),
        w.number(),
        o.passed() ? "passed" : "FAILED",
        w.churn(),
        samples.get(samples.size() - 1).flapped(),
        latest != null
            ? "new: " + latest.code() + " " + latest.message()
            : findings.isEmpty()
                ? "no leak or drift"
                : findings.size() + " leak/drift findings (see the report)");
  }

  private static void put(Map<String, Double> values, StepOutcome o, String name) {
    Double v = o.metrics().get(name);
    if (v != null) {
      values.put(name, v);
    }
  }

  /** The findings so far. */
  public synchronized List<Finding> findings() {
    return findings;
  }

  /** The soak block of the summary. */
  public synchronized SoakReport report() {
    return new SoakReport(
        SoakReport.SCHEMA_VERSION,
        soak.pods(),
        secondaryPerPod,
        soak.duration().toSeconds(),
        soak.interval().toSeconds(),
        soak.churn().toString(),
        soak.linkFlap().toString(),
        soak.linkDown().toMillis(),
        soak.leakFault(),
        samples,
        findings,
        detectedAt);
  }
}
