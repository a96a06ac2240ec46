package io.kdensity.reports.model;

/**
 * Where a step's wall time went, in milliseconds.
 *
 * @param scale bringing the target to the step's pod count
 * @param settle waiting for it to settle
 * @param probes both probe sweeps and the evaluation
 * @param traffic the traffic/hold phase
 * @param total the whole step
 * @param probesBeforeTraffic the part of {@code probes} measured before the traffic: the first
 *     sweep (0 in summaries written before it was recorded)
 */
public record Durations(
    long scale, long settle, long probes, long traffic, long total, long probesBeforeTraffic) {

  /** The part of {@code probes} after the traffic: the second sweep and the evaluation. */
  public long probesAfterTraffic() {
    return probes - probesBeforeTraffic;
  }

  /** Time the harness itself spent (probes and evaluation) as a share of the step. */
  public double overheadShare() {
    long own = Math.max(0, total - scale - settle - traffic);
    return total <= 0 ? 0 : (double) own / total;
  }
}
