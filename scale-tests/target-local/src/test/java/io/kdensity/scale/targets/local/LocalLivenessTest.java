package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalLivenessTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "lock held by {0}, owner alive of {1}: run {2} → {3}")
  @DisplayName("a run is alive while it holds the node lock or its recorded owner lives")
  @CsvSource({
    // lock holder (- free, ? unreadable), runs whose owner.pid lives, run asked, why alive
    "-,      -,      aaaaaa, ",
    "aaaaaa, -,      aaaaaa, it is running (run aaaaaa",
    "aaaaaa, -,      bbbbbb, ",
    "-,      bbbbbb, bbbbbb, its owner process is alive",
    "?,      -,      bbbbbb, a kdensity process holds the node lock and its lock file names no run",
  })
  void liveness(String holder, String owners, String run, String why) throws Exception {
    NodeLock.NodeBusyException busy = null;
    if (!holder.equals("-")) {
      try (NodeLock held =
          NodeLock.acquire(dir, NodeLock.Holder.run(holder, "default", Instant.EPOCH))) {
        if (holder.equals("?")) {
          java.nio.file.Files.writeString(dir.resolve(NodeLock.FILE), "unreadable");
        }
        try {
          NodeLock.acquire(dir, NodeLock.Holder.cleanup(Instant.EPOCH)).close();
        } catch (NodeLock.NodeBusyException e) {
          busy = e;
        }
      }
    }
    Set<String> alive = owners.equals("-") ? Set.of() : Set.of(owners);
    Optional<String> because = new LocalLiveness(busy, alive::contains).aliveBecause(run);
    if (why == null) {
      assertThat(because).isEmpty();
    } else {
      assertThat(because).hasValueSatisfying(w -> assertThat(w).startsWith(why));
    }
  }
}
