package io.kdensity.scale.targets.local;

import io.kdensity.probes.shell.RunningProcess;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The wait of a kernel watch for what its monitor process has not printed yet. */
final class MonitorWait {
  private MonitorWait() {}

  /**
   * Waits on {@code lock} (which the caller holds, and which the watch's reader notifies on each
   * line it keeps) until {@code done} holds, {@code monitor} has exited or {@code atMost} has
   * passed. An interrupt ends the wait with the thread's flag set again.
   */
  static void until(
      Object lock, BooleanSupplier done, RunningProcess monitor, Duration atMost, Clock clock) {
    long deadline = clock.monotonicTime() + atMost.toNanos();
    while (!done.getAsBoolean() && monitor.isAlive()) {
      long left = (deadline - clock.monotonicTime()) / 1_000_000L;
      if (left <= 0) {
        return;
      }
      try {
        lock.wait(Math.min(left, 50));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
