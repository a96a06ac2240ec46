package io.kdensity.scale.targets.local;

import io.kdensity.scale.targets.AttachStages;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The last stages of a step's new pod addresses, from its first sweep: from the first echo request
 * each address was sent to its first answer, and inside it the first neighbour resolution that
 * answer needed: from that first request to the kernel's notice that the last entry it waited for
 * is reachable (the gateway's entry for the pod's address, the pod's for its gateway, or both). A
 * request waits in a new entry's queue until the neighbour advertises itself, so the resolution is
 * part of the wait for the answer, not a stage after it; a request lost (a full table refuses the
 * entry) adds fping's retry timeout to both.
 *
 * <p>The times are stamped as kdensity reads fping's and the monitor's lines, by two threads: about
 * a millisecond apart either way on this machine, while a resolution on a veth takes tens of
 * microseconds. So a resolution reads as anything between 0 and its answer's wait until it takes
 * milliseconds; a notice more than {@link #READ_SKEW} outside the wait is another resolution's (an
 * entry resolved before, or resolving again later) and is not counted.
 */
final class FirstAnswers {
  /** How far outside the wait for an answer a reachable notice may be stamped. */
  static final Duration READ_SKEW = Duration.ofMillis(5);

  private FirstAnswers() {}

  /**
   * Records into {@code stages} the first answer of each new address and, where the watch heard it,
   * its resolution.
   *
   * @param answers the sweep's answers, any address, in any order
   * @param resolutions each new pod address (canonical) and the entries its answer may need
   * @param heard when each entry heard was first announced reachable
   */
  static void record(
      Collection<Reachability.Timed> answers,
      Map<String, Set<NeighbourWatch.Key>> resolutions,
      Map<NeighbourWatch.Key, Long> heard,
      AttachStages stages) {
    long skew = READ_SKEW.toNanos();
    Set<String> seen = new HashSet<>();
    for (Reachability.Timed a : answers) {
      Set<NeighbourWatch.Key> keys = resolutions.get(a.address());
      if (keys == null || !seen.add(a.address())) {
        continue;
      }
      long wait = a.sinceFirstRequest();
      stages.firstAnswer(wait);
      OptionalLong last =
          keys.stream()
              .map(heard::get)
              .filter(at -> at != null && at >= a.firstSentAt() - skew && at <= a.readAt() + skew)
              .mapToLong(Long::longValue)
              .max();
      if (last.isPresent()) {
        stages.neighbourResolution(Math.min(wait, Math.max(0, last.getAsLong() - a.firstSentAt())));
      }
    }
  }
}
