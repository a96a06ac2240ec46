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
 * @param scaleOrchestration the part of {@code scale} the harness spent on its own work rather than
 *     creating or deleting pods (0 in summaries written before it was recorded)
 * @param settlePolling the part of {@code settle} spent looking at the addresses, not waiting
 *     between looks (0 in summaries written before it was recorded)
 */
public record Durations(
    long scale,
    long settle,
    long probes,
    long traffic,
    long total,
    long probesBeforeTraffic,
    long scaleOrchestration,
    long settlePolling) {

  /** The harness's own time in the step: probes, settle polling and scale orchestration. */
  public long harness() {
    return probes + settlePolling + scaleOrchestration;
  }

  /** The part of {@code probes} after the traffic: the second sweep and the evaluation. */
  public long probesAfterTraffic() {
    return probes - probesBeforeTraffic;
  }

  /**
   * Time the harness itself spent as a share of the step: the probe sweeps and the evaluation, the
   * settle phase's looks at the addresses, and the scale phase's own work (see {@link #harness()}).
   */
  public double overheadShare() {
    return total <= 0 ? 0 : (double) harness() / total;
  }
}
