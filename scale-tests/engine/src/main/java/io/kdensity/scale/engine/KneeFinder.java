package io.kdensity.scale.engine;

import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.StepOutcome;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Finds the knee in a session's steps: the first failing pod count and what limited it. */
public final class KneeFinder {
  private KneeFinder() {}

  /**
   * The pod counts around the knee.
   *
   * @param lastPassing the highest passing count below the first failing one (0 if none)
   * @param firstFailing the lowest failing count ({@link Integer#MAX_VALUE} if none failed)
   */
  record Bounds(int lastPassing, int firstFailing) {
    int gap() {
      return firstFailing - lastPassing;
    }
  }

  static Bounds bounds(List<StepOutcome> steps) {
    int firstFailing =
        steps.stream()
            .filter(o -> !o.passed())
            .mapToInt(StepOutcome::pods)
            .min()
            .orElse(Integer.MAX_VALUE);
    int lastPassing =
        steps.stream()
            .filter(o -> o.passed() && o.pods() < firstFailing)
            .mapToInt(StepOutcome::pods)
            .max()
            .orElse(0);
    return new Bounds(lastPassing, firstFailing);
  }

  /**
   * The knee, or null if every step passed. Its limiting findings are the critical ones of the
   * first failing step, causes before symptoms (an overflowing table before the addresses it made
   * unreachable), then the code seen most often.
   */
  public static Knee knee(List<StepOutcome> steps) {
    Optional<StepOutcome> failing =
        steps.stream().filter(o -> !o.passed()).min(Comparator.comparingInt(StepOutcome::pods));
    if (failing.isEmpty()) {
      return null;
    }
    Bounds k = bounds(steps);
    Map<FindingCode, List<Finding>> byCode =
        failing.get().findings().stream()
            .filter(f -> f.severity() == Severity.CRITICAL)
            .collect(Collectors.groupingBy(Finding::code, LinkedHashMap::new, Collectors.toList()));
    List<Finding> limiting =
        byCode.values().stream()
            .sorted(
                Comparator.comparing((List<Finding> l) -> l.get(0).code().symptom())
                    .thenComparingInt(l -> -l.size()))
            .map(l -> l.get(0))
            .toList();
    if (limiting.isEmpty()) {
      limiting = failing.get().findings();
    }
    return new Knee(
        k.lastPassing(), k.firstFailing(), failing.get().interfaces(), limiting, k.gap());
  }
}
