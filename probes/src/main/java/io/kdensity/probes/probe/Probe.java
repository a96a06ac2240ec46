package io.kdensity.probes.probe;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import java.util.List;

/**
 * One probe family: what it snapshots and how it judges the change between two snapshots.
 *
 * <p>Snapshots hold aggregates (counts, counters, the few problem items), not raw tool output, so a
 * sweep over 10,000 interfaces stays small. Implementations are stateless apart from their
 * thresholds and safe to call from several threads.
 *
 * @param <S> the snapshot type, a record serialisable to JSON for reports
 */
public interface Probe<S> {

  /** Stable name used in reports and errors, e.g. {@code neighbour}. */
  String name();

  /**
   * Every metric this probe emits. Its results use no other names; the registry rejects a name
   * declared by two probes, and plans may put SLOs on exactly these (plus the engine's own).
   */
  List<Metric> metrics();

  /**
   * Takes a snapshot.
   *
   * @throws io.kdensity.probes.shell.ShellException if a command or file is not available
   * @throws io.kdensity.probes.parse.ParseException if output has an unexpected format
   */
  S snapshot(ProbeContext ctx);

  /** Compares the snapshots taken at the start and at the end of a step. */
  ProbeResult evaluate(S before, S after, ProbeContext ctx);

  /**
   * What this probe's result of the step adds to another probe's finding of the same step, e.g. the
   * kernel's drop reasons for a softnet finding. Called once every probe has evaluated the step;
   * none by default.
   *
   * @param finding another probe's finding
   * @param mine this probe's result of the same step
   */
  default List<Evidence> evidenceFor(Finding finding, ProbeResult mine) {
    return List.of();
  }
}
