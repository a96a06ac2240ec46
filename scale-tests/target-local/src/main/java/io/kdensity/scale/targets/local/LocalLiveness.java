package io.kdensity.scale.targets.local;

import java.util.Optional;
import java.util.function.Predicate;

/**
 * Why a local run must be left alone by a cleanup: it holds the node lock (every local run does,
 * from before its first namespace to after its last), or the owner process it recorded in its run
 * folder is alive (a second line for a run whose lock folder differs, {@code KDENSITY_RUN_DIR}).
 *
 * @param busy the refusal the cleanup got when it tried to take the node, or null if it holds it
 * @param ownerAlive whether a run's recorded owner process is alive
 */
public record LocalLiveness(NodeLock.NodeBusyException busy, Predicate<String> ownerAlive) {

  /** Why {@code runId} is alive, or empty if its leftovers may go. */
  public Optional<String> aliveBecause(String runId) {
    if (busy != null) {
      NodeLock.Holder h = busy.holder();
      if (h == null) {
        return Optional.of("a kdensity process holds the node lock and its lock file names no run");
      }
      if (h.isRun() && h.runId().equals(runId)) {
        return Optional.of("it is running (" + h.describe() + ")");
      }
    }
    if (ownerAlive.test(runId)) {
      return Optional.of("its owner process is alive");
    }
    return Optional.empty();
  }
}
