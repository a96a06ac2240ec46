package io.kdensity.scale.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.scale.targets.InfrastructureException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeLockTest {
  @TempDir Path dir;

  @Test
  void aSecondRunIsToldWhoHoldsTheNodeAndCanRunAfterIt() throws Exception {
    NodeLock first = NodeLock.acquire(dir.resolve("run"), "run kd-aaaaaa, plan default");
    assertThat(Files.readString(dir.resolve("run/local-node.lock")))
        .isEqualTo("run kd-aaaaaa, plan default, pid " + ProcessHandle.current().pid() + "\n");
    assertThatThrownBy(() -> NodeLock.acquire(dir.resolve("run"), "run kd-bbbbbb, plan smoke"))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageStartingWith(
            "another kdensity run is using this node (run kd-aaaaaa, plan default, pid ")
        .hasMessageContaining("local-node.lock");
    first.close();
    try (NodeLock second = NodeLock.acquire(dir.resolve("run"), "run kd-bbbbbb, plan smoke")) {
      assertThat(Files.readString(dir.resolve("run/local-node.lock")))
          .startsWith("run kd-bbbbbb, plan smoke, pid ");
    }
  }

  @Test
  void aFolderThatCannotBeCreatedIsNamed() throws Exception {
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    assertThatThrownBy(() -> NodeLock.acquire(file.resolve("sub"), "run kd-cccccc"))
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("cannot take the node lock " + file.resolve("sub/local-node.lock"));
  }
}
