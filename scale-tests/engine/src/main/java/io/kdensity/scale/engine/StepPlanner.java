package io.kdensity.scale.engine;

import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.plan.Plan;
import java.util.List;
import java.util.Optional;

/**
 * Decides the next pod count: the plan's ramp, then the stop policy's extra steps after a failure,
 * then bisection between the last passing and the first failing count down to the plan's
 * resolution. One planner per session (it remembers how far the ramp went).
 */
final class StepPlanner implements StepSource {
  private final Plan plan;
  private int rampIndex;
  private int extraLeft = -1;

  StepPlanner(Plan plan) {
    this.plan = plan;
  }

  /** The next step after {@code done}, or empty when the ramp, extra steps and bisection end. */
  @Override
  public Optional<Step> next(List<StepOutcome> done) {
    List<Integer> ramp = plan.ramp().steps();
    boolean failed = done.stream().anyMatch(o -> !o.passed());
    if (failed && extraLeft < 0) {
      extraLeft =
          plan.stop().mode() == Plan.StopPolicy.Mode.CONTINUE ? plan.stop().extraSteps() : 0;
    }
    if (rampIndex < ramp.size() && (!failed || extraLeft > 0)) {
      if (failed) {
        extraLeft--;
      }
      return Optional.of(new Step(done.size() + 1, ramp.get(rampIndex++), false));
    }
    if (!failed || !plan.bisect().enabled()) {
      return Optional.empty();
    }
    KneeFinder.Bounds k = KneeFinder.bounds(done);
    if (k.gap() <= plan.bisect().resolution()) {
      return Optional.empty();
    }
    int mid = k.lastPassing() + k.gap() / 2;
    if (mid <= k.lastPassing() || mid >= k.firstFailing()) {
      return Optional.empty();
    }
    return Optional.of(new Step(done.size() + 1, mid, true));
  }

  /** Ramp steps not yet run. */
  @Override
  public int stepsLeft() {
    return plan.ramp().steps().size() - rampIndex;
  }
}
