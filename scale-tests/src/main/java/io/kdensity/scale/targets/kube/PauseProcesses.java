package io.kdensity.scale.targets.kube;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The sandbox (pause) process of each pod on a node, found through the host PID namespace: the
 * process whose command line is exactly {@code /pause} (the pause image's entry point, under
 * containerd and CRI-O), whose cgroup path names the pod's UID, and whose network namespace is not
 * the node's own. A pod with several sandboxes in different namespaces (one being recreated) is
 * ambiguous and not guessed.
 */
final class PauseProcesses {
  /**
   * Prints "pod-uid pid netns hostnetns" for every process whose command line is exactly /pause;
   * hostnetns is the probe pod's own (hostNetwork: the node's, where a hostNetwork pod's sandbox
   * sits). A constant: nothing from a plan or a profile goes into it.
   */
  static final String SCRIPT =
      "h=$(readlink /proc/self/ns/net); for d in /proc/[0-9]*; do "
          + "[ \"$(tr '\\0' ' ' < $d/cmdline 2>/dev/null)\" = \"/pause \" ] || continue; "
          + "n=$(readlink $d/ns/net 2>/dev/null) || continue; "
          + "u=$(grep -o 'pod[0-9a-f_-]\\{36\\}' $d/cgroup 2>/dev/null | head -1 | cut -c4- | tr _ -); "
          + "[ -n \"$u\" ] && echo \"$u ${d#/proc/} $n $h\"; done; true";

  /** One pause process: its pid and network namespace ({@code net:[4026532]}). */
  record Sandbox(long pid, String netns) {}

  private final Map<String, List<Sandbox>> byUid;
  private final String hostNetns;

  private PauseProcesses(Map<String, List<Sandbox>> byUid, String hostNetns) {
    this.byUid = byUid;
    this.hostNetns = hostNetns;
  }

  /** Reads the script's output; lines that are not four fields are ignored. */
  static PauseProcesses parse(String out) {
    Map<String, List<Sandbox>> byUid = new HashMap<>();
    String host = "";
    for (String line : out.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length != 4 || !f[1].matches("\\d+")) {
        continue;
      }
      host = f[3];
      byUid
          .computeIfAbsent(f[0], u -> new ArrayList<>())
          .add(new Sandbox(Long.parseLong(f[1]), f[2]));
    }
    return new PauseProcesses(byUid, host);
  }

  /** What was found for one pod: its sandbox, or why none can be used. */
  sealed interface Lookup {
    record Found(Sandbox sandbox) implements Lookup {}

    record NotFound(String why) implements Lookup {}
  }

  Lookup of(String podUid) {
    List<Sandbox> all = byUid.getOrDefault(podUid, List.of());
    if (all.isEmpty()) {
      return new Lookup.NotFound("no /pause process with its UID on the node");
    }
    List<Sandbox> own = all.stream().filter(s -> !s.netns().equals(hostNetns)).toList();
    if (own.isEmpty()) {
      return new Lookup.NotFound("its sandbox is in the node's network namespace");
    }
    Set<String> namespaces = new LinkedHashSet<>();
    own.forEach(s -> namespaces.add(s.netns()));
    if (namespaces.size() > 1) {
      return new Lookup.NotFound(
          namespaces.size()
              + " sandboxes in different network namespaces (one is being recreated)");
    }
    return new Lookup.Found(own.get(0));
  }
}
