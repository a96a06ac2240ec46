package io.kdensity.scale.engine;

/**
 * A step to run.
 *
 * @param index 1-based number in execution order
 * @param pods the pod count to bring the node to
 * @param bisection whether knee bisection added it
 */
public record Step(int index, int pods, boolean bisection) {
  /** The test name, e.g. {@code step 07: 700 pods × 5 interfaces (bisection)}. */
  public String title(int secondaryPerPod) {
    return String.format(
        "step %02d: %d pods × %d interfaces%s",
        index, pods, secondaryPerPod, bisection ? " (bisection)" : "");
  }
}
