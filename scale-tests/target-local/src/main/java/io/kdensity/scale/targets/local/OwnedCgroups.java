package io.kdensity.scale.targets.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Cgroup folders kdensity made at the top of this machine's cgroup hierarchies, named {@code
 * kd-<runid>-…} (sim-cluster's pods' cgroups): found for {@code kdensity cleanup}, and removed
 * deepest first once their processes are gone.
 */
final class OwnedCgroups {
  private OwnedCgroups() {}

  /** The {@code kd-<runid>-…} folders at the top of every mounted cgroup hierarchy. */
  static List<Path> find() {
    List<Path> out = new ArrayList<>();
    List<String> mounts;
    try {
      mounts = Files.readAllLines(Path.of("/proc/mounts"));
    } catch (IOException e) {
      return out;
    }
    for (String line : mounts) {
      String[] f = line.split(" ");
      if (f.length < 3 || !(f[2].equals("cgroup") || f[2].equals("cgroup2"))) {
        continue;
      }
      try (Stream<Path> s = Files.list(Path.of(f[1]))) {
        s.filter(Files::isDirectory)
            .filter(p -> LocalNames.OWNED.matcher(p.getFileName().toString()).matches())
            .forEach(out::add);
      } catch (IOException e) {
        // an unreadable hierarchy holds nothing of ours
      }
    }
    return out;
  }

  /** Removes the owned folders whose name passes {@code select}; returns those removed. */
  static List<String> remove(Predicate<String> select) {
    List<String> removed = new ArrayList<>();
    for (Path root : find()) {
      if (!select.test(root.getFileName().toString())) {
        continue;
      }
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(Files::isDirectory)
            .sorted(Comparator.reverseOrder())
            .forEach(
                d -> {
                  try {
                    Files.deleteIfExists(d);
                  } catch (IOException e) {
                    // a process still in it: the next cleanup tries again
                  }
                });
      } catch (IOException e) {
        // best effort
      }
      if (!Files.exists(root)) {
        removed.add(root.toString());
      }
    }
    return removed;
  }
}
