package io.kdensity.scale.plan;

import java.util.ArrayList;
import java.util.List;

/**
 * The pod counts of the steps, ascending.
 *
 * @param steps pods per step
 */
public record Ramp(List<Integer> steps) {
  public Ramp {
    steps = List.copyOf(steps);
  }

  /** The pods of the largest step: the density the plan aims for. */
  public int max() {
    return steps.get(steps.size() - 1);
  }

  /** {@code start}, {@code start+step}, … up to {@code max} (always ending at max). */
  public static Ramp linear(int start, int step, int max) {
    List<Integer> s = new ArrayList<>();
    for (int p = start; p < max; p += step) {
      s.add(p);
    }
    s.add(max);
    return new Ramp(s);
  }

  /** {@code start}, {@code start×factor}, … up to {@code max} (always ending at max). */
  public static Ramp exponential(int start, double factor, int max) {
    List<Integer> s = new ArrayList<>();
    for (double p = start; p < max; p = Math.max(p * factor, p + 1)) {
      s.add((int) Math.round(p));
    }
    s.add(max);
    return new Ramp(s);
  }
}
