package io.kdensity.scale.run;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.tuning.recommend.Recommender;
import java.util.ArrayList;
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
    return of(steps, knee, targetPods, interfacesPerPod, cpus, List.of(), null);
  }

  /**
   * @param soakFindings a soak's leaks and drifts, recommended on after the steps' findings
   * @param prediction the capacity model's, or null: with one, the neighbour table is sized from
   *     the model's need at {@code targetPods} rather than from one step's count
   */
  public static List<Recommendation> of(
      List<StepOutcome> steps,
      Knee knee,
      int targetPods,
      int interfacesPerPod,
      int cpus,
      List<Finding> soakFindings,
      Prediction prediction) {
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
    List<Finding> findings = new ArrayList<>(basis.findings());
    findings.addAll(soakFindings);
    predictedFull(prediction, targetPods, findings).ifPresent(findings::add);
    return Recommender.recommend(
        findings,
        new Recommender.Context(
            targetPods,
            interfacesPerPod,
            knee == null ? 0 : knee.firstFailingPods(),
            knee == null ? 0 : knee.interfaces(),
            basis.metrics(),
            cpus,
            modelled(prediction, targetPods, interfacesPerPod)
                .orElseGet(() -> entriesPerInterface(steps))));
  }

  /**
   * A neighbour table the model needs more of than {@code gc_thresh3} at {@code targetPods}, when
   * no step of the run filled one ({@code kdensity predict --pods 2000}): a finding, so that the
   * table is sized for the density asked, not only after a ramp there broke it.
   */
  static Optional<Finding> predictedFull(Prediction p, int targetPods, List<Finding> seen) {
    if (p == null
        || p.pods() != targetPods
        || seen.stream().anyMatch(f -> f.code() == FindingCode.NEIGH_TABLE_OVERFLOW)) {
      return Optional.empty();
    }
    return p.limits().stream()
        .filter(h -> h.code() == FindingCode.NEIGH_TABLE_OVERFLOW && h.breaksWithin(targetPods))
        .max(Comparator.comparingLong(Prediction.Headroom::peakNeed))
        .map(
            h ->
                Finding.of(
                        Severity.WARNING,
                        Cause.NEIGHBOUR_TABLE_PREDICTED_FULL,
                        "node",
                        String.format(
                            "%s predicted full at %s: %,d entries needed at %,d pods (%,d in a"
                                + " step), gc_thresh3 %,d",
                            h.limit(),
                            h.range(),
                            h.steadyNeed(),
                            targetPods,
                            h.peakNeed(),
                            h.size()),
                        List.of(Evidence.observed("capacity model", h.basis())))
                    .from(Finding.MODEL));
  }

  /**
   * Entries per interface the capacity model needs at {@code targetPods}: the neighbour table whose
   * need at the predicted density is largest, at its worst moment (a plain step's transient
   * included), over the pods' interfaces. Empty without a prediction for that density.
   */
  static Optional<Recommender.EntriesPerInterface> modelled(
      Prediction p, int targetPods, int interfacesPerPod) {
    if (p == null || p.pods() != targetPods || targetPods < 1 || interfacesPerPod < 1) {
      return Optional.empty();
    }
    return p.limits().stream()
        .filter(h -> h.code() == FindingCode.NEIGH_TABLE_OVERFLOW)
        .max(Comparator.comparingLong(Prediction.Headroom::peakNeed))
        .map(
            h ->
                new Recommender.EntriesPerInterface(
                    (double) h.peakNeed() / ((long) targetPods * interfacesPerPod),
                    String.format(
                        "%,d entries at %,d pods (%,d once a step's bring-up is gone), from %s",
                        h.peakNeed(), targetPods, h.steadyNeed(), h.basis()),
                    true));
  }

  /**
   * What a pod interface costs the node in IPv6 neighbour entries: its own side's entries (node +
   * pods, never the emulated router's) per interface, at the largest passing step where forced GC
   * did not run — under forced GC the table is held near gc_thresh3 and the ratio understates the
   * need. Without such a step, the largest passing step's ratio (an underestimate, said so).
   */
  static Recommender.EntriesPerInterface entriesPerInterface(List<StepOutcome> steps) {
    NeighbourProbe.FamilyMetrics v6 = NeighbourProbe.Family.V6.metrics();
    List<StepOutcome> measured =
        steps.stream()
            .filter(
                o ->
                    o.passed()
                        && o.interfaces() > 0
                        && o.metrics().containsKey(v6.nodeSide().name()))
            .toList();
    Optional<StepOutcome> calm =
        measured.stream()
            .filter(o -> o.metrics().getOrDefault(v6.forcedGcRuns().name(), 1.0) == 0)
            .max(Comparator.comparingInt(StepOutcome::interfaces));
    Optional<StepOutcome> basis =
        calm.or(() -> measured.stream().max(Comparator.comparingInt(StepOutcome::interfaces)));
    return basis
        .map(
            o ->
                new Recommender.EntriesPerInterface(
                    o.metrics().get(v6.nodeSide().name()) / o.interfaces(),
                    String.format(
                        "step %d (%,d interfaces%s)",
                        o.index(),
                        o.interfaces(),
                        calm.isPresent()
                            ? ", no forced GC"
                            : ", under forced GC: the need is larger than this")))
        .orElse(Recommender.EntriesPerInterface.UNKNOWN);
  }
}
