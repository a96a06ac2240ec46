package io.kdensity.scale.targets.local;

import io.kdensity.probes.cpu.Tracefs;
import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.link.LinkInfo;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.LocalShell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Removes what local runs left behind: processes living in {@code kd-<runid>-*} namespaces, those
 * namespaces, any {@code kd-<runid>-*} link in the root namespace, {@code kd-<runid>-*} cgroups
 * (sim-cluster's pods'), the runs' softirq trace instances and private state. Touches nothing else:
 * every name is checked against {@link LocalNames#OWNED}. Waits until the kernel has really freed
 * the namespaces. Which runs may be removed is the caller's decision ({@link LocalRuns}).
 */
public final class LocalCleanup {
  private final LocalShell host;
  private final Path runDir;

  /**
   * @param runDir where runs keep their private state ({@code <runDir>/<runid>/})
   */
  public LocalCleanup(LocalShell host, Path runDir) {
    this.host = host;
    this.runDir = runDir;
  }

  public LocalCleanup(LocalShell host) {
    this(host, NodeLock.defaultDir());
  }

  /** Ids of the runs that have namespaces, links or trace instances on this node. */
  public Set<String> runsPresent() {
    Set<String> ids = new TreeSet<>();
    for (String n : listNamespaces()) {
      if (LocalNames.OWNED.matcher(n).matches()) {
        ids.add(n.substring(3, 9));
      }
    }
    for (String l : ownedLinks()) {
      ids.add(l.substring(3, 9));
    }
    for (var c : OwnedCgroups.find()) {
      ids.add(c.getFileName().toString().substring(3, 9));
    }
    try (Tracefs tracefs = Tracefs.open(host)) {
      tracefs.instances().forEach(i -> Tracefs.runIdOf(i).ifPresent(ids::add));
    } catch (RuntimeException e) {
      // no tracefs: no instance was ever made
    }
    return ids;
  }

  /** Removes one run's leftovers. */
  public Report removeRun(String runId) {
    return remove(Set.of(runId));
  }

  /** What was removed. */
  public record Report(
      List<String> namespaces, List<String> links, int processes, List<String> traceInstances) {
    public static final Report NOTHING = new Report(List.of(), List.of(), 0, List.of());
  }

  /** Removes the leftovers of these runs, whatever their state: the caller checked liveness. */
  public Report remove(Set<String> runIds) {
    if (runIds.isEmpty()) {
      return Report.NOTHING;
    }
    Predicate<String> select =
        n -> LocalNames.OWNED.matcher(n).matches() && runIds.contains(n.substring(3, 9));
    List<String> namespaces = listNamespaces().stream().filter(select).toList();
    int killed = killProcessesIn(namespaces);
    if (!namespaces.isEmpty()) {
      StringBuilder del = new StringBuilder();
      namespaces.forEach(n -> del.append("netns del ").append(n).append('\n'));
      host.run(
          Command.of("ip", "-force", "-batch", "-")
              .withStdin(del.toString())
              .withTimeout(Duration.ofMinutes(5)));
    }
    List<String> links = new ArrayList<>();
    for (String l : ownedLinks()) {
      if (select.test(l)) {
        links.add(l);
        host.run(Command.of("ip", "link", "del", l));
      }
    }
    Awaitility.await("kd- namespaces to be freed")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> listNamespaces().stream().noneMatch(select));
    // sim-cluster's pod cgroups, empty now that the processes in the run's namespaces are gone
    OwnedCgroups.remove(select);
    runIds.forEach(id -> deleteTree(runDir.resolve(id)));
    return new Report(namespaces, links, killed, removeTraceInstances(runIds));
  }

  /** Whether {@code <runDir>/<runId>/owner.pid} names a live process other than this one. */
  public boolean ownerAlive(String runId) {
    Path pid = runDir.resolve(runId).resolve("owner.pid");
    try {
      long p = Long.parseLong(Files.readString(pid).strip());
      return p != ProcessHandle.current().pid()
          && ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private List<String> ownedLinks() {
    // right after `netns del` the kernel tears the namespaces down in the background under the
    // RTNL lock, and a link dump waits for it: 2,000 namespaces with 10,000 veth pairs held it
    // for more than 30 s here (scale-tests/bench/probe-sweep.sh, 2026-12-03)
    CommandResult r = host.run(Command.of("ip", "-j", "link").withTimeout(Duration.ofMinutes(5)));
    if (!r.ok()) {
      return List.of();
    }
    return IpLinkParser.parse(r.stdout(), "ip -j link").stream()
        .map(LinkInfo::name)
        .filter(n -> LocalNames.OWNED.matcher(n).matches())
        .toList();
  }

  /** The softirq trace instances ({@code kd-<runid>}) of these runs. */
  private List<String> removeTraceInstances(Set<String> runIds) {
    try (Tracefs tracefs = Tracefs.open(host)) {
      return tracefs.removeInstances(i -> Tracefs.runIdOf(i).map(runIds::contains).orElse(false));
    } catch (RuntimeException e) {
      return List.of(); // no tracefs: no instance was ever made
    }
  }

  /** Names of network namespaces ({@code ip netns list}). */
  public List<String> listNamespaces() {
    List<String> out = new ArrayList<>();
    try (var s = Files.list(Path.of("/run/netns"))) {
      s.forEach(p -> out.add(p.getFileName().toString()));
    } catch (IOException e) {
      // no /run/netns: no named namespaces
    }
    return out;
  }

  /** Kills every process whose network namespace is one of {@code namespaces} (by inode). */
  private static int killProcessesIn(List<String> namespaces) {
    Map<Long, String> inodes = new HashMap<>();
    for (String n : namespaces) {
      try {
        inodes.put((Long) Files.getAttribute(Path.of("/run/netns", n), "unix:ino"), n);
      } catch (IOException | RuntimeException e) {
        // already gone
      }
    }
    if (inodes.isEmpty()) {
      return 0;
    }
    int killed = 0;
    for (ProcessHandle ph : ProcessHandle.allProcesses().toList()) {
      try {
        String link =
            Files.readSymbolicLink(Path.of("/proc", Long.toString(ph.pid()), "ns", "net"))
                .toString();
        long ino = Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
        if (inodes.containsKey(ino) && ph.pid() != ProcessHandle.current().pid()) {
          ph.destroyForcibly();
          killed++;
        }
      } catch (IOException | RuntimeException e) {
        // the process ended meanwhile
      }
    }
    return killed;
  }

  /** Removes a folder and everything in it, best effort (what stays is reported elsewhere). */
  static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
