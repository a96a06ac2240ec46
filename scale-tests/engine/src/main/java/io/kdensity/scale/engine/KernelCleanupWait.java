package io.kdensity.scale.engine;

import io.kdensity.probes.kernel.NetnsCleanup;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits until the kernel has finished freeing deleted network namespaces, showing the wait in the
 * progress output. Used before the first step (a previous run or test may have just torn down
 * thousands of namespaces), after a scale-down (bisection) and at the end of a run, so that no
 * step, run or test measures the kernel's cleanup instead of the node.
 */
public final class KernelCleanupWait {
  /** The kernel's cleanup must be seen idle this many polls in a row: it works in batches. */
  static final int IDLE_POLLS = 3;

  static final Duration POLL = Duration.ofMillis(200);

  private final NetnsCleanup cleanup;
  private final Progress progress;
  private final Duration atMost;

  /**
   * @param atMost the longest wait; the cleanup of 2,000 namespaces took about 5 minutes on 2
   *     cores, so the default is twice that
   */
  public KernelCleanupWait(NetnsCleanup cleanup, Progress progress, Duration atMost) {
    this.cleanup = cleanup;
    this.progress = progress;
    this.atMost = atMost;
  }

  public static final Duration DEFAULT_AT_MOST = Duration.ofMinutes(10);

  /** Whether the kernel is freeing namespaces right now. */
  public boolean busy() {
    return cleanup.busy();
  }

  /**
   * Returns once the kernel has been idle for {@link #IDLE_POLLS} polls, or after {@code atMost}.
   *
   * @param before what waits, for the progress line ("the first step")
   * @return how long it waited; zero if the kernel was idle
   */
  public Duration awaitIdle(String before) {
    if (!cleanup.busy()) {
      return Duration.ZERO;
    }
    progress.phase(
        "the kernel is still freeing deleted network namespaces: waiting before " + before);
    int[] idle = {0};
    long[] lastShown = {0};
    Duration[] waited = {Duration.ZERO};
    try {
      Awaitility.await("the kernel to finish freeing network namespaces")
          .atMost(atMost)
          .pollDelay(Duration.ZERO)
          .pollInterval(POLL)
          .conditionEvaluationListener(
              c -> {
                waited[0] = Duration.ofMillis(c.getElapsedTimeInMS());
                long s = waited[0].toSeconds();
                if (s / 10 > lastShown[0]) {
                  lastShown[0] = s / 10;
                  progress.phase("  kernel namespace cleanup still busy after " + s + " s");
                }
              })
          .until(
              () -> {
                idle[0] = cleanup.busy() ? 0 : idle[0] + 1;
                return idle[0] >= IDLE_POLLS;
              });
      progress.phase(
          String.format(
              "kernel namespace cleanup finished after %.1f s", waited[0].toMillis() / 1000.0));
    } catch (ConditionTimeoutException e) {
      progress.phase(
          "kernel namespace cleanup still busy after "
              + atMost.toSeconds()
              + " s: going on, the report marks the steps it overlaps");
    }
    return waited[0];
  }
}
