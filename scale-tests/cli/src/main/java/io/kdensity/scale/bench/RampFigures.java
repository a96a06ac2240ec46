package io.kdensity.scale.bench;

import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.metrics.EngineMetrics;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Prints the figures of a finished ramp from its summary: wall time including teardown, steps,
 * interfaces reached, the harness overhead (probes, settle polling and scale orchestration) as a
 * share of each step's wall time, overall and at the largest steps, and the attach throughput
 * against the limit the attaching processes' CPU sets (cores ÷ CPU per interface), per step and
 * over the ramp.
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
          "  step %02d %5d pods %6d ifs  total %6.1f s  scale %6.1f s  settle %5.1f s  probes %5.1f s  traffic %5.1f s  overhead %4.1f%%  attach p99 %6.0f ms  %s  harness CPU %5.1f s%s%n",
          o.index(),
          o.pods(),
          o.interfaces(),
          o.durations().total() / 1000.0,
          o.durations().scale() / 1000.0,
          o.durations().settle() / 1000.0,
          o.durations().probes() / 1000.0,
          o.durations().traffic() / 1000.0,
          100 * share,
          o.attach().p99(),
          attachVsLimit(o),
          o.metrics().getOrDefault(EngineMetrics.HARNESS_CPU.name(), 0.0),
          o.passed() ? "" : "  FAILED");
    }
    System.out.printf(
        "  harness overhead (probes, settle polling, scale orchestration) at ≥ %,d interfaces: max %.1f%% of a step's wall time (last step %.1f%%)%n",
        threshold, 100 * worst, 100 * last.durations().overheadShare());
    printAttachThroughput(s);
  }

  /** {@code 41.2 ifs/s of 52.0 (79%)}, or what is missing. */
  private static String attachVsLimit(StepOutcome o) {
    Double rate = o.metrics().get(EngineMetrics.ATTACH_RATE.name());
    Double limit = o.metrics().get(EngineMetrics.ATTACH_RATE_LIMIT.name());
    if (rate == null) {
      return "no attach";
    }
    if (limit == null) {
      return String.format("%5.1f ifs/s", rate);
    }
    return String.format("%5.1f ifs/s of %5.1f (%3.0f%%)", rate, limit, 100 * rate / limit);
  }

  /**
   * Over every step that attached: interfaces per second of scale time, against the cores divided
   * by the attaching processes' CPU per interface (both weighted by the interfaces attached).
   */
  private static void printAttachThroughput(RunSummary s) {
    double attached = 0;
    double scaleSeconds = 0;
    double cpuSeconds = 0;
    double harnessSeconds = 0;
    double idleSeconds = 0;
    for (StepOutcome o : s.steps()) {
      Double cpu = o.metrics().get(EngineMetrics.ATTACH_CPU_PER_INTERFACE.name());
      Double rate = o.metrics().get(EngineMetrics.ATTACH_RATE.name());
      if (o.attach().count() == 0 || cpu == null || rate == null) {
        continue;
      }
      attached += o.attach().count();
      double seconds = o.attach().count() / rate;
      scaleSeconds += seconds;
      cpuSeconds += cpu / 1000.0 * o.attach().count();
      int cores = s.node().logicalCpus();
      harnessSeconds +=
          o.metrics().getOrDefault(EngineMetrics.ATTACH_HARNESS_SHARE.name(), 0.0)
              * cores
              * seconds;
      idleSeconds +=
          o.metrics().getOrDefault(EngineMetrics.ATTACH_IDLE_SHARE.name(), 0.0) * cores * seconds;
    }
    if (attached == 0) {
      System.out.println("  attach throughput: no step measured the attaching processes' CPU");
      return;
    }
    int cores = s.node().logicalCpus();
    double rate = attached / scaleSeconds;
    double perInterface = cpuSeconds / attached;
    double limit = cores / perInterface;
    System.out.printf(
        "  attach throughput: %.1f interfaces/s over %.0f s of scaling; the attaching processes spent %.1f ms of CPU per interface, so %d cores allow %.1f/s: %.0f%% of the limit%n",
        rate, scaleSeconds, 1000 * perInterface, cores, limit, 100 * rate / limit);
    double coreSeconds = cores * scaleSeconds;
    System.out.printf(
        "  the cores while scaling: attaching processes %.0f%%, kdensity %.0f%%, idle %.0f%%, the kernel's own threads and other processes %.0f%%%n",
        100 * cpuSeconds / coreSeconds,
        100 * harnessSeconds / coreSeconds,
        100 * idleSeconds / coreSeconds,
        100 * (coreSeconds - cpuSeconds - harnessSeconds - idleSeconds) / coreSeconds);
  }
}
