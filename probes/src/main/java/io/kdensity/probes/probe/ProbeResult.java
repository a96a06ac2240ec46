package io.kdensity.probes.probe;

import io.kdensity.probes.finding.Finding;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one probe concluded about one step.
 *
 * @param probe the probe's name
 * @param metrics named numbers for charts and SLOs, e.g. {@code neigh.v6.entries}
 * @param findings what broke, with evidence
 * @param snapshot the end-of-step snapshot, for reports (a record, serialisable to JSON)
 * @param notes what the probe could not judge and why (e.g. a kernel without {@code table_fulls}),
 *     for the report: the step still counts
 */
public record ProbeResult(
    String probe,
    Map<String, Double> metrics,
    List<Finding> findings,
    Object snapshot,
    List<String> notes) {
  public ProbeResult {
    Objects.requireNonNull(probe, "probe");
    metrics = Map.copyOf(metrics);
    findings = List.copyOf(findings);
    notes = List.copyOf(notes);
  }

  /** A result without notes. */
  public ProbeResult(
      String probe, Map<String, Double> metrics, List<Finding> findings, Object snapshot) {
    this(probe, metrics, findings, snapshot, List.of());
  }
}
