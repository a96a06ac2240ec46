package io.kdensity.scale.targets.local;

/**
 * How many datagrams an application that handles {@code rate} a second may read now: a token bucket
 * filled at {@code rate} and capped at {@code burst}, full at the start. Idling saves no more than
 * {@code burst} reads, so a burst that arrives at once waits in the socket's buffer. Not
 * thread-safe: one reader.
 */
final class ReadCredit {
  private final double perNano;
  private final int burst;
  private double tokens;
  private long last;

  /**
   * @param rate reads a second
   * @param burst the most reads saved while idle, at least 1
   * @param now the monotonic time in nanoseconds
   */
  ReadCredit(int rate, int burst, long now) {
    if (rate <= 0 || burst < 1) {
      throw new IllegalArgumentException("rate " + rate + " and burst " + burst + " must be >= 1");
    }
    this.perNano = rate / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = now;
  }

  /** Adds the credit earned since the last call, up to the cap. */
  void refill(long now) {
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
  }

  /** Whether one read may happen now. */
  boolean mayRead() {
    return tokens >= 1;
  }

  /** Spends one read. */
  void read() {
    tokens -= 1;
  }
}
