package io.kdensity.probes.probe;

/**
 * Time in NET_RX and NET_TX softirqs.
 *
 * @param netRxNanos summed NET_RX run time
 * @param netTxNanos summed NET_TX run time
 * @param runs completed runs counted
 */
public record SoftirqTime(long netRxNanos, long netTxNanos, long runs) {
  public static final SoftirqTime ZERO = new SoftirqTime(0, 0, 0);

  public long netNanos() {
    return netRxNanos + netTxNanos;
  }
}
