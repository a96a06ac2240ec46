package io.kdensity.reports.model;

import io.kdensity.probes.finding.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The {@code soak} block of {@code summary.json}: what the soak held, one sample per window, and
 * what drifted or leaked. Versioned on its own ({@value #SCHEMA_VERSION}); a ramp's summary has
 * none.
 *
 * @param schemaVersion {@value #SCHEMA_VERSION}
 * @param pods pods held
 * @param secondaryPerPod secondary interfaces per pod
 * @param durationSeconds the soak's planned duration
 * @param intervalSeconds a window's length
 * @param churn the churn rate as written ({@code 10%/60s}), or {@code 0%/…} for none
 * @param linkFlap the link flap rate as written
 * @param linkDownMillis how long a flapped link stayed without carrier
 * @param leakFault the test-only fault's share of churned pods whose CNI DEL was skipped (0 = off)
 * @param samples one per window, in order
 * @param findings leaks and drifts over the windows, each with its rate and evidence
 * @param detectedAt for each finding seen during the soak (by its subject), the window at which it
 *     was first detected; a subject missing from {@code findings} was seen, then stopped holding
 */
public record SoakReport(
    int schemaVersion,
    int pods,
    int secondaryPerPod,
    long durationSeconds,
    long intervalSeconds,
    String churn,
    String linkFlap,
    long linkDownMillis,
    double leakFault,
    List<Sample> samples,
    List<Finding> findings,
    Map<String, Integer> detectedAt) {

  public static final int SCHEMA_VERSION = 1;

  public SoakReport {
    samples = List.copyOf(samples);
    findings = List.copyOf(findings);
    detectedAt = Map.copyOf(detectedAt);
  }

  /**
   * One window.
   *
   * @param window 1-based window number
   * @param step the step index of the window in {@code steps}
   * @param elapsedSeconds from the soak's start (after the pods came up) to the window's start
   * @param at wall-clock start
   * @param churned pods deleted and created again before the sweep
   * @param flapped pod links whose carrier went away before the sweep
   * @param passed whether the window passed the plan's SLOs
   * @param values the watched figures (entries, objects, latencies, footprint, per-window counter
   *     changes) by metric name
   */
  public record Sample(
      int window,
      int step,
      double elapsedSeconds,
      Instant at,
      int churned,
      int flapped,
      boolean passed,
      Map<String, Double> values) {
    public Sample {
      values = Map.copyOf(values);
    }
  }
}
