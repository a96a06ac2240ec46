package io.kdensity.scale.plan;

import io.kdensity.config.yaml.Reader;
import io.kdensity.config.yaml.YNode;
import io.kdensity.config.yaml.YNode.YList;
import io.kdensity.config.yaml.YNode.YMap;
import java.util.ArrayList;
import java.util.List;

/** Binds {@code ramp}: explicit steps, or a linear or exponential ramp up to a maximum. */
final class RampReader {
  /** The largest pod count a plan may ask for. */
  static final int MAX_PODS = PlanLoader.MAX_PODS;

  private RampReader() {}

  static Ramp ramp(Reader r, YMap root) {
    YMap m = r.map(root, "ramp");
    if (m == null) {
      r.require(root, "ramp");
      return new Ramp(List.of(1));
    }
    r.allowOnly(m, List.of("steps", "start", "step", "max", "mode", "factor"));
    YList steps = r.list(m, "steps");
    if (steps != null) {
      if (m.get("start") != null || m.get("max") != null) {
        r.error(m, "ramp: give either 'steps' or 'start'/'step'/'max', not both");
      }
      List<Integer> s = new ArrayList<>();
      int prev = 0;
      for (YNode n : steps.items()) {
        int v = (int) r.integer(n, -1, 1, MAX_PODS);
        if (v >= 0 && v <= prev) {
          r.error(n, "ramp steps must increase: " + v + " after " + prev);
        }
        if (v > 0) {
          s.add(v);
          prev = Math.max(prev, v);
        }
      }
      if (steps.items().isEmpty()) {
        r.error(steps, "ramp.steps is empty");
      }
      return new Ramp(s.isEmpty() ? List.of(1) : s);
    }
    int start = (int) r.integer(m, "start", 10, 1, MAX_PODS);
    int max = (int) r.integer(m, "max", -1, 1, MAX_PODS);
    if (m.get("max") == null) {
      r.error(m, "ramp needs 'steps' or 'max'");
    }
    // every key is read (and so checked) before any early return: all mistakes in one pass
    String mode = r.string(m, "mode", "linear");
    int step = (int) r.integer(m, "step", start, 1, MAX_PODS);
    double factor = r.number(m, "factor", 2.0, 1.01, 100);
    if (!"linear".equals(mode) && !"exponential".equals(mode)) {
      r.error(
          m.get("mode"), "'ramp.mode' must be one of linear, exponential, found '" + mode + "'");
    }
    if (max < start && max > 0) {
      r.error(m.get("max"), "ramp.max " + max + " is below ramp.start " + start);
      return new Ramp(List.of(start));
    }
    if (max <= 0) {
      return new Ramp(List.of(start));
    }
    if ("exponential".equals(mode)) {
      return Ramp.exponential(start, factor, max);
    }
    return Ramp.linear(start, step, max);
  }
}
