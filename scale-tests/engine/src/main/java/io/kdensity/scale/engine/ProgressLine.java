package io.kdensity.scale.engine;

import io.kdensity.config.run.AttachMode;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.metrics.EngineMetrics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The line printed when a step ends: verdict, interfaces, attach p99, elapsed, ETA and the critical
 * findings so far; and a warning when the kernel's namespace cleanup overlapped the step.
 */
final class ProgressLine {
  private ProgressLine() {}

  /**
   * @param all every step so far, this one included
   * @param elapsed since the session started
   * @param rampStepsLeft ramp steps not yet run (for the ETA)
   * @param mode how interfaces were attached: netlink latencies are labelled as such
   * @param window whether the step is a soak window (the soak's own line gives its time left)
   */
  static String of(
      StepOutcome o,
      String head,
      List<StepOutcome> all,
      Duration elapsed,
      int rampStepsLeft,
      AttachMode mode,
      boolean window) {
    long avg = elapsed.toMillis() / Math.max(1, all.size());
    String eta =
        o.passed() || rampStepsLeft == 0
            ? Progress.clock(Duration.ofMillis(avg * rampStepsLeft))
            : "bisecting";
    Map<FindingCode, Long> codes =
        all.stream()
            .flatMap(x -> x.findings().stream())
            .filter(f -> f.severity() == Severity.CRITICAL)
            .collect(
                Collectors.groupingBy(Finding::code, LinkedHashMap::new, Collectors.counting()));
    String f =
        codes.isEmpty()
            ? "none"
            : codes.entrySet().stream()
                .map(e -> e.getKey() + "×" + e.getValue())
                .collect(Collectors.joining(" "));
    Double efficiency = o.metrics().get(EngineMetrics.ATTACH_EFFICIENCY.name());
    String attach =
        o.attach().count() == 0
            ? "no attach"
            : String.format(
                "%sattach p99 %.0f ms%s",
                mode == AttachMode.NETLINK ? "netlink " : "",
                o.attach().p99(),
                efficiency == null
                    ? ""
                    : String.format(
                        ", %.0f/s = %.0f%% of what the CPU allows",
                        o.metrics().get(EngineMetrics.ATTACH_RATE.name()), 100 * efficiency));
    double busy = o.metrics().getOrDefault(EngineMetrics.KERNEL_NETNS_CLEANUP_BUSY.name(), 0.0);
    return String.format(
        "%s %s  (%,d interfaces, %s)  elapsed %s%s  findings: %s%s",
        head,
        o.passed() ? "PASSED" : "FAILED",
        o.interfaces(),
        attach,
        Progress.clock(elapsed),
        window ? "" : "  ETA " + eta,
        f,
        busy > 0
            ? "  [the kernel was freeing deleted namespaces during this step: its timings include that]"
            : "");
  }
}
