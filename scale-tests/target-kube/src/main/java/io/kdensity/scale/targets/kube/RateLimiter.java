package io.kdensity.scale.targets.kube;

import io.micrometer.core.instrument.Clock;
import java.util.concurrent.TimeUnit;

/**
 * A token bucket: at most {@code qps} permits per second on average, bursts of {@code burst}, like
 * client-go's rate limiter. Thread-safe.
 */
public final class RateLimiter {
  private final double perNanos;
  private final double burst;
  private double tokens;
  private long last;
  private final Clock clock;

  public RateLimiter(double qps, int burst, Clock clock) {
    this.clock = clock;
    if (qps <= 0 || burst < 1) {
      throw new IllegalArgumentException("qps and burst must be positive");
    }
    this.perNanos = qps / TimeUnit.SECONDS.toNanos(1);
    this.burst = burst;
    this.tokens = burst;
    this.last = clock.monotonicTime();
  }

  /** Blocks until a permit is available. */
  public void acquire() throws InterruptedException {
    long wait;
    synchronized (this) {
      long now = clock.monotonicTime();
      tokens = Math.min(burst, tokens + (now - last) * perNanos);
      last = now;
      tokens -= 1;
      wait = tokens >= 0 ? 0 : (long) (-tokens / perNanos);
    }
    if (wait > 0) {
      TimeUnit.NANOSECONDS.sleep(wait);
    }
  }
}
