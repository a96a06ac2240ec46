package io.kdensity.scale.targets.kube;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The process through which each pod's network namespace is entered, found through the host PID
 * namespace by the pod UID in its cgroup path (cgroupfs {@code pod<uid>}, systemd {@code
 * pod<uid_with_underscores>.slice}), in a network namespace that is not the node's own. Its sandbox
 * process if there is one: {@code /pause} (the pause image's entry point under containerd and
 * CRI-O) or {@code /usr/bin/pod} (OpenShift's CRI-O {@code pause_command}); else, on CRI-O with
 * {@code drop_infra_ctr} (no infra container for a pod that does not share its PID namespace), one
 * of the pod's container processes, which hold the same pinned namespace. A pod whose processes sit
 * in different namespaces (a sandbox being recreated) is ambiguous and not guessed.
 */
final class PauseProcesses {
  /**
   * Prints "pod-uid pid netns hostnetns kind" for every process whose cgroup names a pod, kind
   * {@code sandbox} or {@code container}; hostnetns is the probe pod's own (hostNetwork: the
   * node's, where a hostNetwork pod's processes sit). One grep over every process's cgroup file,
   * then two reads per pod process only. A constant: nothing from a plan or a profile goes into it.
   */
  static final String SCRIPT =
      "h=$(readlink /proc/self/ns/net); "
          + "grep -H -o 'pod[0-9a-f_-]\\{36\\}' /proc/[0-9]*/cgroup 2>/dev/null | tr _ - | sort -u"
          + " | while IFS=: read -r f p; do d=${f%/cgroup}; "
          + "n=$(readlink $d/ns/net 2>/dev/null) || continue; "
          + "c=$(tr '\\0' ' ' < $d/cmdline 2>/dev/null); "
          + "case \"$c\" in \"/pause \"|\"/usr/bin/pod \") k=sandbox;; *) k=container;; esac; "
          + "echo \"${p#pod} ${d#/proc/} $n $h $k\"; done; true";

  /** What a process is to its pod. */
  enum Kind {
    /** the pod's infra (pause) process, which the runtime created the namespace for */
    SANDBOX,
    /** a container's process, in the namespace the runtime pinned (CRI-O without infra) */
    CONTAINER
  }

  /** One process of a pod: its pid, network namespace ({@code net:[4026532]}) and kind. */
  record Sandbox(long pid, String netns, Kind kind) {}

  private final Map<String, List<Sandbox>> byUid;
  private final String hostNetns;

  private PauseProcesses(Map<String, List<Sandbox>> byUid, String hostNetns) {
    this.byUid = byUid;
    this.hostNetns = hostNetns;
  }

  /** Reads the script's output; lines that are not five fields are ignored. */
  static PauseProcesses parse(String out) {
    Map<String, List<Sandbox>> byUid = new HashMap<>();
    String host = "";
    for (String line : out.split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length != 5 || !f[1].matches("\\d+")) {
        continue;
      }
      Kind kind;
      if (f[4].equals("sandbox")) {
        kind = Kind.SANDBOX;
      } else if (f[4].equals("container")) {
        kind = Kind.CONTAINER;
      } else {
        continue;
      }
      host = f[3];
      byUid
          .computeIfAbsent(f[0], u -> new ArrayList<>())
          .add(new Sandbox(Long.parseLong(f[1]), f[2], kind));
    }
    return new PauseProcesses(byUid, host);
  }

  /** What was found for one pod: the process to enter it through, or why none can be used. */
  sealed interface Lookup {
    record Found(Sandbox sandbox) implements Lookup {}

    record NotFound(String why) implements Lookup {}
  }

  Lookup of(String podUid) {
    List<Sandbox> all = byUid.getOrDefault(podUid, List.of());
    if (all.isEmpty()) {
      return new Lookup.NotFound("no process with its UID in its cgroup on the node");
    }
    List<Sandbox> own = all.stream().filter(s -> !s.netns().equals(hostNetns)).toList();
    if (own.isEmpty()) {
      return new Lookup.NotFound("its sandbox is in the node's network namespace");
    }
    List<Sandbox> sandboxes = own.stream().filter(s -> s.kind() == Kind.SANDBOX).toList();
    List<Sandbox> chosen = sandboxes.isEmpty() ? own : sandboxes;
    Set<String> namespaces = new LinkedHashSet<>();
    chosen.forEach(s -> namespaces.add(s.netns()));
    if (namespaces.size() > 1) {
      return new Lookup.NotFound(
          namespaces.size()
              + (sandboxes.isEmpty() ? " processes" : " sandboxes")
              + " in different network namespaces (one is being recreated)");
    }
    return new Lookup.Found(chosen.get(0));
  }
}
