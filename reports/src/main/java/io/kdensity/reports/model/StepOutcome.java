package io.kdensity.reports.model;

import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.probe.ProbeError;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The result of one ramp step.
 *
 * @param index 1-based step number in execution order
 * @param pods pods the target held
 * @param interfaces pod interfaces (eth0 + secondaries) the target held
 * @param bisection whether the step was added by knee bisection
 * @param passed whether every SLO held
 * @param started when the step began
 * @param durations where its time went
 * @param attach CNI attach latency per interface
 * @param ready pod ready latency (all interfaces attached)
 * @param metrics probe and target metrics
 * @param slos SLO checks
 * @param findings what broke, with evidence
 * @param probeErrors probes that could not report
 * @param notes what the step could not judge or what disturbed it, in a sentence each (a kernel
 *     without {@code table_fulls}, the kernel freeing namespaces during the step, addresses that
 *     did not settle)
 * @param snapshots end-of-step probe snapshots, by probe
 */
public record StepOutcome(
    int index,
    int pods,
    int interfaces,
    boolean bisection,
    boolean passed,
    Instant started,
    Durations durations,
    Latency attach,
    Latency ready,
    Map<String, Double> metrics,
    List<SloCheck> slos,
    List<Finding> findings,
    List<ProbeError> probeErrors,
    List<String> notes,
    Map<String, Object> snapshots) {

  public StepOutcome {
    metrics = Map.copyOf(metrics);
    slos = List.copyOf(slos);
    findings = List.copyOf(findings);
    probeErrors = List.copyOf(probeErrors);
    notes = notes == null ? List.of() : List.copyOf(notes);
    snapshots = snapshots == null ? Map.of() : Map.copyOf(snapshots);
  }

  /** The test name used by JUnit and Allure, e.g. {@code step 07: 700 pods × 5 interfaces}. */
  public String title(int secondaryPerPod) {
    return String.format(
        "step %02d: %d pods × %d interfaces%s",
        index, pods, secondaryPerPod, bisection ? " (bisection)" : "");
  }

  /** The same outcome without probe snapshots. */
  public StepOutcome withoutSnapshots() {
    return new StepOutcome(
        index,
        pods,
        interfaces,
        bisection,
        passed,
        started,
        durations,
        attach,
        ready,
        metrics,
        slos,
        findings,
        probeErrors,
        notes,
        Map.of());
  }
}
