package io.kdensity.scale.engine;

import java.time.Duration;

/**
 * A step to run.
 *
 * @param index 1-based number in execution order
 * @param pods the pod count to bring the node to
 * @param bisection whether knee bisection added it
 * @param window the soak window it is, or null for a ramp step
 */
public record Step(int index, int pods, boolean bisection, Window window) {

  /** A ramp step. */
  public Step(int index, int pods, boolean bisection) {
    this(index, pods, bisection, null);
  }

  /**
   * A soak window: the pods stay, some churn and some links flap, then the step's sweep and
   * traffic.
   *
   * @param number 1-based window number
   * @param at when it is due, from the soak's start (after bringing the pods up)
   * @param churn pods to delete and create again first
   * @param flap pod interfaces whose carrier goes away for a moment
   */
  public record Window(int number, Duration at, int churn, int flap) {}

  /**
   * The test name, e.g. {@code step 07: 700 pods × 5 interfaces (bisection)} or {@code window 03 at
   * 0:02:00: 200 pods × 5 interfaces, churn 20 pods, flap 20 links}.
   */
  public String title(int secondaryPerPod) {
    if (window != null) {
      long s = window.at().toSeconds();
      return String.format(
          "window %02d at %d:%02d:%02d: %d pods × %d interfaces%s%s",
          window.number(),
          s / 3600,
          s / 60 % 60,
          s % 60,
          pods,
          secondaryPerPod,
          window.churn() > 0 ? ", churn " + window.churn() + " pods" : "",
          window.flap() > 0 ? ", flap " + window.flap() + " links" : "");
    }
    return String.format(
        "step %02d: %d pods × %d interfaces%s",
        index, pods, secondaryPerPod, bisection ? " (bisection)" : "");
  }
}
