package io.kdensity.scale.sim;

import io.kdensity.scale.targets.InfrastructureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The pods' cgroups, laid out as the kubelet's cgroupfs driver does ({@code
 * kubepods/besteffort/pod<uid>}) under a root of the sim's own, {@code kd-<runid>-kubepods}, in one
 * cgroup hierarchy of this machine (cgroup v2 if mounted, else v1's {@code pids}). No controller
 * limits are set: the cgroup only carries the pod's UID, which is how a node-level tool (kdensity's
 * probe pod among them) finds a pod's processes in {@code /proc/<pid>/cgroup}.
 */
final class PodCgroups implements AutoCloseable {
  private final Path root;

  private PodCgroups(Path root) {
    this.root = root;
  }

  /**
   * @param rootName {@code kd-<runid>-kubepods}
   * @throws InfrastructureException if no cgroup hierarchy is mounted writable
   */
  static PodCgroups create(String rootName) {
    Path mount =
        hierarchy()
            .orElseThrow(
                () ->
                    new InfrastructureException(
                        "no cgroup hierarchy to put the simulated pods in: mount cgroup2 (or cgroup v1's"
                            + " pids controller) under /sys/fs/cgroup"));
    Path root = mount.resolve(rootName);
    try {
      Files.createDirectories(root.resolve("besteffort"));
    } catch (IOException e) {
      throw new InfrastructureException(
          "cannot create the cgroup " + root + ": " + e.getMessage(), e);
    }
    return new PodCgroups(root);
  }

  /** A mounted cgroup hierarchy: cgroup2 first, else v1 with the pids controller. */
  static Optional<Path> hierarchy() {
    List<String> mounts;
    try {
      mounts = Files.readAllLines(Path.of("/proc/mounts"));
    } catch (IOException e) {
      return Optional.empty();
    }
    Optional<Path> v2 = Optional.empty();
    Optional<Path> pids = Optional.empty();
    for (String line : mounts) {
      String[] f = line.split(" ");
      if (f.length < 4) {
        continue;
      }
      if (f[2].equals("cgroup2") && v2.isEmpty()) {
        v2 = Optional.of(Path.of(f[1]));
      } else if (f[2].equals("cgroup") && List.of(f[3].split(",")).contains("pids")) {
        pids = Optional.of(Path.of(f[1]));
      }
    }
    return v2.isPresent() ? v2 : pids;
  }

  /** The file a process writes its pid into to join pod {@code uid}'s cgroup (created here). */
  Path procsOf(String uid) {
    Path dir = root.resolve("besteffort").resolve("pod" + uid);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new InfrastructureException(
          "cannot create the cgroup " + dir + ": " + e.getMessage(), e);
    }
    return dir.resolve("cgroup.procs");
  }

  /** Removes pod {@code uid}'s cgroup once its processes are gone (best effort). */
  void remove(String uid) {
    try {
      Files.deleteIfExists(root.resolve("besteffort").resolve("pod" + uid));
    } catch (IOException e) {
      // a process still in it: the whole tree goes on close
    }
  }

  /** Removes the sim's cgroups, deepest first (their processes must be gone). */
  @Override
  public void close() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> s = Files.walk(root)) {
      s.filter(Files::isDirectory)
          .sorted(Comparator.reverseOrder())
          .forEach(
              d -> {
                try {
                  Files.deleteIfExists(d);
                } catch (IOException e) {
                  // busy: left for kdensity cleanup
                }
              });
    } catch (IOException e) {
      // best effort
    }
  }
}
