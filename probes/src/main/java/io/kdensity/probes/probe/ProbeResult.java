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
 */
public record ProbeResult(
    String probe, Map<String, Double> metrics, List<Finding> findings, Object snapshot) {
  public ProbeResult {
    Objects.requireNonNull(probe, "probe");
    metrics = Map.copyOf(metrics);
    findings = List.copyOf(findings);
  }
}
