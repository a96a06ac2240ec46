package io.kdensity.scale.run;

import io.kdensity.probes.finding.Recommendation;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.tuning.recommend.Recommender;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Recommendations of a run: the rules applied to the knee step, sized with what the run measured.
 */
public final class Recommendations {
  private Recommendations() {}

  /**
   * @param targetPods density to size for (the plan's largest step)
   * @param interfacesPerPod pod interfaces including eth0
   */
  public static List<Recommendation> of(
      List<StepOutcome> steps, Knee knee, int targetPods, int interfacesPerPod, int cpus) {
    if (steps.isEmpty()) {
      return List.of();
    }
    StepOutcome last = steps.get(steps.size() - 1);
    StepOutcome basis =
        knee == null
            ? last
            : steps.stream()
                .filter(o -> !o.passed() && o.pods() == knee.firstFailingPods())
                .findFirst()
                .orElse(last);
    return Recommender.recommend(
        basis.findings(),
        new Recommender.Context(
            targetPods,
            interfacesPerPod,
            knee == null ? 0 : knee.firstFailingPods(),
            knee == null ? 0 : knee.interfaces(),
            basis.metrics(),
            cpus,
            entriesPerInterface(steps)));
  }

  /**
   * IPv6 neighbour entries per pod interface at the largest passing step (where the table did not
   * cap the count), or 0 if no step passed.
   */
  static double entriesPerInterface(List<StepOutcome> steps) {
    Optional<StepOutcome> best =
        steps.stream()
            .filter(
                o ->
                    o.passed() && o.interfaces() > 0 && o.metrics().containsKey("neigh.v6.entries"))
            .max(Comparator.comparingInt(StepOutcome::interfaces));
    return best.map(o -> o.metrics().get("neigh.v6.entries") / o.interfaces()).orElse(0.0);
  }
}
