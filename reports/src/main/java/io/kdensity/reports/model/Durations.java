package io.kdensity.reports.model;

/**
 * Where a step's wall time went, in milliseconds.
 *
 * @param scale bringing the target to the step's pod count
 * @param settle waiting for it to settle
 * @param probes both probe sweeps
 * @param traffic the traffic/hold phase
 * @param total the whole step
 */
public record Durations(long scale, long settle, long probes, long traffic, long total) {
  /** Time the harness itself spent (probes and evaluation) as a share of the step. */
  public double overheadShare() {
    long own = Math.max(0, total - scale - settle - traffic);
    return total <= 0 ? 0 : (double) own / total;
  }
}
