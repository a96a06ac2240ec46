package io.kdensity.scale.targets.local;

import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.RunningProcess;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When neighbour entries become reachable, from the kernel's own notifications: one {@code ip -o
 * monitor all-nsid neigh} in the machine's root namespace hears every namespace that has an id
 * there (the pods, the node and the fabric). Each line is stamped with the run's clock as it is
 * read. The kernel announces an entry when its state changes ({@code neigh_update} → {@code
 * neigh_update_notify}, net/core/neighbour.c): a new entry is announced REACHABLE when the
 * neighbour's advertisement resolves it; its creation (INCOMPLETE, by the first packet that needs
 * it) is not announced.
 *
 * <p>It is started with the scale change, so that it listens before the step's first sweep, and
 * keeps only what it hears once {@link #arm armed}.
 */
final class NeighbourWatch implements AutoCloseable {
  static final Command MONITOR = Command.of("ip", "-o", "monitor", "all-nsid", "neigh");

  /**
   * How long, after a sweep, the watch waits for the notices of addresses that answered: the
   * monitor prints each within milliseconds of the kernel's change.
   */
  static final Duration LAG = Duration.ofMillis(500);

  private static final Pattern LINE =
      Pattern.compile("^\\[nsid (\\d+)\\]([0-9a-fA-F:.]+) dev \\S+ (.*)$");

  /**
   * One neighbour entry.
   *
   * @param nsid its namespace's id in the root namespace
   * @param address the neighbour's address, canonical
   */
  record Key(int nsid, String address) {}

  private final RunningProcess monitor;
  private final Clock clock;
  private final Map<Key, Long> reachable = new HashMap<>();
  private boolean armed;

  private NeighbourWatch(RunningProcess monitor, Clock clock) {
    this.monitor = monitor;
    this.clock = clock;
  }

  /** Starts listening in {@code root}, the namespace where the node's namespaces have their ids. */
  static NeighbourWatch start(NodeShell root, Clock clock) {
    NeighbourWatch w = new NeighbourWatch(root.start(MONITOR), clock);
    DaemonThreads.named("kd-neighbour-watch").newThread(w::read).start();
    return w;
  }

  /**
   * The entry one line of {@code ip -o monitor all-nsid neigh} announces as REACHABLE, in another
   * namespace than the root; empty for any other line (deletions, other states, the root
   * namespace's own entries).
   */
  static Optional<Key> reachable(String line) {
    Matcher m = LINE.matcher(line.strip());
    if (!m.matches()) {
      return Optional.empty();
    }
    Set<String> words = Set.of(m.group(3).trim().split("\\s+"));
    return words.contains("REACHABLE")
        ? Optional.of(new Key(Integer.parseInt(m.group(1)), Addresses.canonical(m.group(2))))
        : Optional.empty();
  }

  private void read() {
    String line;
    while ((line = monitor.readLine()) != null) {
      long at = clock.monotonicTime();
      reachable(line)
          .ifPresent(
              k -> {
                synchronized (this) {
                  if (armed) {
                    reachable.putIfAbsent(k, at);
                    notifyAll();
                  }
                }
              });
    }
  }

  /** From now on, keeps when each entry is first announced reachable. */
  synchronized void arm() {
    armed = true;
  }

  /**
   * When each entry heard since {@link #arm} was first announced reachable, once one entry of each
   * of {@code awaited} has been heard or {@code atMost} has passed (the monitor prints within
   * milliseconds of the kernel's change, but its reader may lag behind a sweep's).
   */
  synchronized Map<Key, Long> heard(Collection<Set<Key>> awaited, Duration atMost) {
    MonitorWait.until(this, () -> allHeard(awaited), monitor, atMost, clock);
    return Map.copyOf(reachable);
  }

  private boolean allHeard(Collection<Set<Key>> awaited) {
    for (Set<Key> any : awaited) {
      if (any.stream().noneMatch(reachable::containsKey)) {
        return false;
      }
    }
    return true;
  }

  @Override
  public void close() {
    monitor.close();
  }
}
