package io.kdensity.scale.soak;

import java.time.Duration;

/** Waits until a window is due; tests advance a fake clock instead. */
@FunctionalInterface
public interface Sleeper {
  void sleep(Duration d) throws InterruptedException;

  /** {@link Thread#sleep}: Ctrl-C interrupts it. */
  Sleeper THREAD = d -> Thread.sleep(Math.max(0, d.toMillis()));
}
