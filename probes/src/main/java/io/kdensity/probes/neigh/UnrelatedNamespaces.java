package io.kdensity.probes.neigh;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.ShellException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The network namespaces on the machine that are not the run's — other containers, other workloads'
 * pods — found by their inode: every namespace a process lives in ({@code /proc/<pid>/ns/net}) or
 * that is bound under {@code /run/netns}, less the host's, the node's, the emulated outside's and
 * the run's pods'. Their neighbour entries count in the kernel's node-wide table like the pods', so
 * they are counted apart instead of being taken for pods. One {@code find} in the host shell lists
 * them (one exec on a cluster); a namespace held only by an open file is not found.
 */
final class UnrelatedNamespaces {
  /** Namespaces dumped per snapshot at most; beyond, the rest are counted with the pods. */
  static final int MAX = 256;

  /**
   * Reads the known paths (one per line, plain: checked before) from standard input, then prints
   * "inode path" for them, for every process's namespace and for every bound one.
   */
  static final String SCRIPT =
      "set -f; known=$(cat); set +f\n"
          // starting points, not found entries: find stats those (a bound namespace's inode is
          // the nsfs one), where an entry found under /run/netns would say the mount point's
          + "find -L $known /proc/[0-9]*/ns/net /run/netns/* -maxdepth 0 -printf '%i %p\\n'"
          + " 2>/dev/null\n"
          + "exit 0\n";

  /**
   * @param paths a way into each unrelated namespace, at most {@link #MAX}
   * @param found how many there are
   */
  record Found(List<String> paths, int found) {
    Found {
      paths = List.copyOf(paths);
    }
  }

  private UnrelatedNamespaces() {}

  /**
   * The unrelated namespaces, or empty if a namespace of the scope cannot be named (then they
   * cannot be told apart from the pods').
   */
  static Optional<Found> find(ProbeScope scope) {
    List<String> knownPaths = new ArrayList<>();
    Set<String> knownInodes = new HashSet<>();
    for (NodeShell s : scope.knownNamespaces().values()) {
      Optional<String> p = s.netnsPath().filter(x -> x.matches(PLAIN));
      if (p.isPresent()) {
        knownPaths.add(p.get());
        continue;
      }
      // a shell that cannot name its namespace (a hostNetwork pod's exec) says its inode
      Optional<String> inode = inodeOf(s);
      if (inode.isEmpty()) {
        return Optional.empty();
      }
      knownInodes.add(inode.get());
    }
    Command list =
        Command.of("sh", "-c", SCRIPT, "sh").withStdin(String.join("\n", knownPaths) + "\n");
    CommandResult r = scope.host().run(list).requireSuccess();
    return Optional.of(unrelated(r.stdout(), knownPaths, knownInodes, list.display()));
  }

  private static final String PLAIN = "[A-Za-z0-9_./:-]+";
  private static final Pattern NET_LINK = Pattern.compile("net:\\[(\\d+)]");

  /** The inode of the namespace {@code shell} runs in, or empty if it cannot say. */
  private static Optional<String> inodeOf(NodeShell shell) {
    try {
      CommandResult r = shell.run(Command.of("readlink", "/proc/self/ns/net"));
      Matcher m = NET_LINK.matcher(r.stdout().strip());
      return r.ok() && m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    } catch (ShellException e) {
      return Optional.empty();
    }
  }

  /**
   * From the "inode path" lines: the namespaces none of {@code knownPaths} is in and that are none
   * of {@code knownInodes}.
   */
  static Found unrelated(
      String listing, List<String> knownPaths, Set<String> knownInodes, String source) {
    Map<String, String> inodeByPath = new LinkedHashMap<>();
    Map<String, String> wayIn = new LinkedHashMap<>(); // inode → first path seen
    String[] lines = listing.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(" ", 2);
      if (f.length != 2 || !f[0].chars().allMatch(Character::isDigit)) {
        throw new ParseException(source, i + 1, line, "expected 'inode path'");
      }
      inodeByPath.putIfAbsent(f[1], f[0]);
      wayIn.putIfAbsent(f[0], f[1]);
    }
    knownInodes = new HashSet<>(knownInodes);
    for (String p : knownPaths) {
      String inode = inodeByPath.get(p);
      if (inode != null) {
        knownInodes.add(inode);
      }
    }
    List<String> paths = new ArrayList<>();
    int found = 0;
    for (Map.Entry<String, String> e : wayIn.entrySet()) {
      if (!knownInodes.contains(e.getKey())) {
        found++;
        if (paths.size() < MAX) {
          paths.add(e.getValue());
        }
      }
    }
    return new Found(paths, found);
  }

  /** The neighbour dump of the namespace at {@code path}, run by the host shell. */
  static Command dump(String path) {
    List<String> argv = new ArrayList<>(List.of("nsenter", "--net=" + path, "--"));
    argv.addAll(NeighbourProbe.DUMP.argv());
    return Command.of(argv);
  }
}
