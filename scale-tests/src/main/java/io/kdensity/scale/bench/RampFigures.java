package io.kdensity.scale.bench;

import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Prints the figures of a finished ramp from its summary: wall time including teardown, steps,
 * interfaces reached, and the harness overhead (engine + probes) as a share of each step's wall
 * time, overall and at the largest steps.
 */
public final class RampFigures {
  private RampFigures() {}

  public static void main(String[] args) {
    RunSummary s = SummaryJson.read(Path.of(args[0]));
    int threshold = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    Duration wall = Duration.between(s.started(), s.finished());
    int maxIfs = s.steps().stream().mapToInt(StepOutcome::interfaces).max().orElse(0);
    int maxPods = s.steps().stream().mapToInt(StepOutcome::pods).max().orElse(0);
    StepOutcome last = s.steps().get(s.steps().size() - 1);
    long stepsMs = s.steps().stream().mapToLong(o -> o.durations().total()).sum();
    System.out.printf(
        "ramp %s (%s, profile %s): verdict %s, %d steps%n",
        s.plan(), s.runId(), s.profile(), s.verdict(), s.steps().size());
    System.out.printf(
        "  reached %,d pods, %,d pod interfaces (eth0 + %d secondaries each)%n",
        maxPods, maxIfs, s.secondaryPerPod());
    System.out.printf(
        "  wall time including setup and teardown: %d min %02d s (steps %d min %02d s, teardown and setup %d s)%n",
        wall.toMinutes(),
        wall.toSecondsPart(),
        stepsMs / 60000,
        (stepsMs / 1000) % 60,
        wall.minusMillis(stepsMs).toSeconds());
    double worst = 0;
    for (StepOutcome o : s.steps()) {
      double share = o.durations().overheadShare();
      if (o.interfaces() >= threshold) {
        worst = Math.max(worst, share);
      }
      System.out.printf(
          "  step %02d %5d pods %6d ifs  total %6.1f s  scale %6.1f s  probes %5.1f s  traffic %5.1f s  overhead %4.1f%%  attach p99 %6.0f ms%s%n",
          o.index(),
          o.pods(),
          o.interfaces(),
          o.durations().total() / 1000.0,
          o.durations().scale() / 1000.0,
          o.durations().probes() / 1000.0,
          o.durations().traffic() / 1000.0,
          100 * share,
          o.attach().p99(),
          o.passed() ? "" : "  FAILED");
    }
    System.out.printf(
        "  harness overhead (engine + probes) at ≥ %,d interfaces: max %.1f%% of a step's wall time (last step %.1f%%)%n",
        threshold, 100 * worst, 100 * last.durations().overheadShare());
  }
}
