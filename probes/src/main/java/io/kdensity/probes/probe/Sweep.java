package io.kdensity.probes.probe;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One pass of every probe over the node.
 *
 * @param at when the sweep started
 * @param elapsed how long it took
 * @param snapshots probe name → snapshot, for the probes that succeeded
 * @param errors the probes that failed, with why
 */
public record Sweep(
    Instant at, Duration elapsed, Map<String, Object> snapshots, List<ProbeError> errors) {
  public Sweep {
    snapshots = Map.copyOf(snapshots);
    errors = List.copyOf(errors);
  }
}
