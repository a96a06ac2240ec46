package io.kdensity.probes.probe;

import io.kdensity.probes.finding.Finding;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The results of every probe for one step, and the probes that could not report. */
public record StepProbes(List<ProbeResult> results, List<ProbeError> errors) {
  public StepProbes {
    results = List.copyOf(results);
    errors = List.copyOf(errors);
  }

  /** Every probe's notes, prefixed with the probe's name. */
  public List<String> notes() {
    return results.stream()
        .flatMap(r -> r.notes().stream().map(n -> r.probe() + ": " + n))
        .toList();
  }

  public List<Finding> findings() {
    return results.stream().flatMap(r -> r.findings().stream()).toList();
  }

  /** All metrics of all probes (names are unique per probe family). */
  public Map<String, Double> metrics() {
    Map<String, Double> m = new HashMap<>();
    results.forEach(r -> m.putAll(r.metrics()));
    return m;
  }
}
