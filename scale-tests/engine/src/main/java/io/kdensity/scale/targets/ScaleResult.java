package io.kdensity.scale.targets;

import io.kdensity.probes.finding.Finding;
import io.kdensity.reports.model.Latency;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What bringing the node to a pod count cost.
 *
 * @param pods pods now on the node
 * @param interfaces pod interfaces now on the node (eth0 included)
 * @param attachMicros latency of every interface attached in this change, microseconds
 * @param readyMicros latency of every pod created in this change until all its interfaces were
 *     attached, microseconds
 * @param stages the attach's stages where the target sees them ({@link AttachStages}); null where
 *     it does not (a cluster)
 * @param findings attach failures (with the plugin's message) and other limits hit while scaling
 * @param elapsed wall time of the change
 * @param orchestration the part of {@code elapsed} the harness spent on its own work rather than in
 *     creating or deleting pods (pinning the emulated router's entries, flushing, counting what is
 *     attached)
 */
public record ScaleResult(
    int pods,
    int interfaces,
    ConcurrentHistogram attachMicros,
    ConcurrentHistogram readyMicros,
    AttachStages stages,
    List<Finding> findings,
    Duration elapsed,
    Duration orchestration) {
  public ScaleResult {
    findings = List.copyOf(findings);
    if (orchestration.compareTo(elapsed) > 0) {
      throw new IllegalArgumentException(
          "orchestration " + orchestration + " longer than the change " + elapsed);
    }
  }

  /** The longest latency a histogram tracks: an hour, in microseconds. */
  private static final long MAX_LATENCY_MICROS = TimeUnit.HOURS.toMicros(1);

  /** Attach latency quantiles in milliseconds. */
  public Latency attachLatency() {
    return latency(attachMicros);
  }

  /** Pod-ready latency quantiles in milliseconds. */
  public Latency readyLatency() {
    return latency(readyMicros);
  }

  static Latency latency(Histogram h) {
    if (h.getTotalCount() == 0) {
      return Latency.NONE;
    }
    return new Latency(
        h.getTotalCount(),
        h.getValueAtPercentile(50) / 1000.0,
        h.getValueAtPercentile(90) / 1000.0,
        h.getValueAtPercentile(99) / 1000.0,
        h.getMaxValue() / 1000.0);
  }

  /**
   * A histogram for latencies (microseconds) up to an hour, 3 significant digits, that pool threads
   * may record into at the same time (the type says so in every signature that records).
   */
  public static ConcurrentHistogram newHistogram() {
    return new ConcurrentHistogram(MAX_LATENCY_MICROS, 3);
  }
}
