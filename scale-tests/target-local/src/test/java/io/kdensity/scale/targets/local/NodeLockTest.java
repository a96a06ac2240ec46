package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.scale.targets.InfrastructureException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLockTest {
  @TempDir Path dir;
  private static final Instant T0 = Instant.parse("2026-11-26T07:00:00.123Z");
  private final long pid = ProcessHandle.current().pid();

  @Test
  void aSecondRunIsToldWhoHoldsTheNodeAndCanRunAfterIt() throws Exception {
    NodeLock first = NodeLock.acquire(dir, NodeLock.Holder.run("aaaaaa", "default", T0));
    assertThatThrownBy(
            () -> NodeLock.acquire(dir, NodeLock.Holder.run("bbbbbb", "smoke", Instant.now())))
        .isInstanceOf(NodeLock.NodeBusyException.class)
        .hasMessageStartingWith(
            "another kdensity run is using this node (run aaaaaa, plan default, since"
                + " 2026-11-26T07:00:00Z, pid "
                + pid
                + "; lock ")
        .hasMessageContaining("local-node.lock")
        .extracting(e -> ((NodeLock.NodeBusyException) e).holder())
        .isEqualTo(new NodeLock.Holder("run", "aaaaaa", "default", "2026-11-26T07:00:00Z", pid));
    first.close();
    assertThat(Files.readString(dir.resolve("local-node.lock"))).isEmpty();
    try (NodeLock second = NodeLock.acquire(dir, NodeLock.Holder.run("bbbbbb", "smoke", T0))) {
      assertThat(Files.readString(dir.resolve("local-node.lock"))).contains("\"bbbbbb\"");
    }
  }

  @Test
  void aCleanupHoldsTheNodeLikeARun() {
    try (NodeLock cleanup = NodeLock.acquire(dir, NodeLock.Holder.cleanup(T0))) {
      assertThatThrownBy(() -> NodeLock.acquire(dir, NodeLock.Holder.run("aaaaaa", "x", T0)))
          .hasMessageStartingWith(
              "another kdensity cleanup is using this node (cleanup, since 2026-11-26T07:00:00Z");
    }
  }

  @Test
  void aLockFileOfAnOlderVersionNamesNoHolder() throws Exception {
    Files.writeString(dir.resolve("local-node.lock"), "run kd-aaaaaa, plan default, pid 1\n");
    try (NodeLock held = NodeLock.acquire(dir, NodeLock.Holder.run("aaaaaa", "x", T0))) {
      // the format is the holder's business: a busy node with an unreadable file says so
      Files.writeString(dir.resolve("local-node.lock"), "garbage");
      assertThatThrownBy(() -> NodeLock.acquire(dir, NodeLock.Holder.cleanup(T0)))
          .hasMessageContaining("(holder unknown; lock ")
          .extracting(e -> ((NodeLock.NodeBusyException) e).holder())
          .isNull();
    }
  }

  @Test
  void aFolderThatCannotBeCreatedIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    assertThatThrownBy(() -> NodeLock.acquire(file.resolve("sub"), NodeLock.Holder.cleanup(T0)))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("cannot take the node lock " + file.resolve("sub/local-node.lock"));
  }
}
