package io.kdensity.scale.cli;

import io.kdensity.config.yaml.ConfigException;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.kube.JournalNodes;
import io.kdensity.tuning.apply.Journal;
import io.kdensity.tuning.apply.JournalTarget;
import io.kdensity.tuning.apply.ProfileApplier;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;

/**
 * Restores journals of crashed runs on the node each one names ({@code profile revert}, {@code
 * cleanup}): a journal whose run is still alive is left to that run unless forced; a journal of a
 * node this command does not reach is kept, with the exact command that restores it.
 */
final class JournalRestorer {
  private final JournalNodes nodes;
  private final PrintStream out;
  private final PrintStream err;

  JournalRestorer(JournalNodes nodes, PrintStream out, PrintStream err) {
    this.nodes = nodes;
    this.out = out;
    this.err = err;
  }

  /** What happened to the journals. */
  record Outcome(int restored, int failed, int leftAlone) {}

  /**
   * @param reaches the targets this command restores; others are reported with their command
   * @param force also restore journals of runs that are still alive
   */
  Outcome restore(List<Path> journals, Predicate<JournalTarget> reaches, boolean force) {
    int restored = 0;
    int failed = 0;
    int leftAlone = 0;
    for (Path j : journals) {
      Journal read;
      try {
        read = Journal.read(j);
      } catch (UncheckedIOException | ConfigException e) {
        failed++;
        err.println("kdensity: " + e.getMessage());
        continue;
      }
      if (!force && read.liveOwner().isPresent()) {
        leftAlone++;
        err.println(
            "kdensity: not reverting "
                + j
                + ": its run (pid "
                + read.pid()
                + ", profile "
                + read.profile()
                + ") is still running and restores it when it ends; --force reverts it now");
        continue;
      }
      if (!reaches.test(read.target())) {
        leftAlone++;
        out.println(
            "kept "
                + j
                + ": it holds values of "
                + read.target().describe()
                + "; restore them with: kdensity profile revert --journal "
                + j);
        continue;
      }
      out.println("restoring " + j + " on " + read.target().describe());
      List<String> left;
      try (JournalNodes.Reached node = nodes.reach(read.target())) {
        left =
            ProfileApplier.revert(
                j,
                node.access(),
                (ph, i, n, e) ->
                    out.printf("  %s %d/%d %s → %s%n", ph, i, n, e.describe(), e.previous()));
      } catch (InfrastructureException | ProfileApplier.ApplyException e) {
        failed++;
        err.println(
            "kdensity: could not restore "
                + j
                + " on "
                + read.target().describe()
                + " (journal kept): "
                + e.getMessage());
        continue;
      }
      if (left.isEmpty()) {
        restored++;
        out.println("restored every value of " + j);
      } else {
        failed++;
        err.println("could not restore from " + j + ":\n  " + String.join("\n  ", left));
      }
    }
    return new Outcome(restored, failed, leftAlone);
  }
}
