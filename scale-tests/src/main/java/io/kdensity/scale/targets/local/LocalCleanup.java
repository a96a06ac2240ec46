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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/**
 * Removes what local runs left behind: processes living in {@code kd-<runid>-*} namespaces, those
 * namespaces, and any {@code kd-<runid>-*} link in the root namespace. Touches nothing else: every
 * name is checked against {@link LocalNames#OWNED}. Waits until the kernel has really freed the
 * namespaces.
 */
public final class LocalCleanup {
  private final LocalShell host;

  public LocalCleanup(LocalShell host) {
    this.host = host;
  }

  /** Removes one run's leftovers. */
  public Report removeRun(String runId) {
    return remove(n -> n.startsWith("kd-" + runId + "-"));
  }

  /**
   * Removes the leftovers of every crashed run: runs whose owner process (recorded in {@code
   * /run/kdensity/<runid>/owner.pid}) is still alive are left alone.
   */
  public Report removeAll() {
    return remove(n -> !alive(n.substring(3, 9)));
  }

  /** Whether the process that created run {@code runId} is still running. */
  static boolean alive(String runId) {
    Path pid = Path.of("/run/kdensity", runId, "owner.pid");
    try {
      long p = Long.parseLong(Files.readString(pid).strip());
      return p != ProcessHandle.current().pid()
          && ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false);
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  /** What was removed. */
  public record Report(
      List<String> namespaces, List<String> links, int processes, List<String> traceInstances) {}

  private Report remove(Predicate<String> select) {
    List<String> namespaces = new ArrayList<>();
    for (String n : listNamespaces()) {
      if (LocalNames.OWNED.matcher(n).matches() && select.test(n)) {
        namespaces.add(n);
      }
    }
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
    CommandResult r = host.run(Command.of("ip", "-j", "link"));
    if (r.ok()) {
      for (LinkInfo l : IpLinkParser.parse(r.stdout(), "ip -j link")) {
        if (LocalNames.OWNED.matcher(l.name()).matches() && select.test(l.name())) {
          links.add(l.name());
          host.run(Command.of("ip", "link", "del", l.name()));
        }
      }
    }
    Awaitility.await("kd- namespaces to be freed")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                listNamespaces().stream()
                    .noneMatch(n -> LocalNames.OWNED.matcher(n).matches() && select.test(n)));
    for (String n : namespaces) {
      deleteTree(Path.of("/run/kdensity", n.substring(3, 9)));
    }
    return new Report(namespaces, links, killed, removeTraceInstances(select));
  }

  /** The softirq trace instances ({@code kd-<runid>}) of the selected runs. */
  private List<String> removeTraceInstances(Predicate<String> select) {
    try (Tracefs tracefs = Tracefs.open(host)) {
      // the selection is on kd-<runid>-… names; an instance is kd-<runid>
      return tracefs.removeInstances(i -> select.test(i + "-"));
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
      s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }
}
