package io.kdensity.scale.engine;

import io.kdensity.reports.model.StepOutcome;
import java.util.List;
import java.util.Optional;

/** Where a session's steps come from: a ramp's {@link StepPlanner} or a soak's windows. */
public interface StepSource {

  /** The next step after {@code done}, or empty when there is none. */
  Optional<Step> next(List<StepOutcome> done);

  /** Steps (or windows) still planned, for progress. */
  int stepsLeft();
}
