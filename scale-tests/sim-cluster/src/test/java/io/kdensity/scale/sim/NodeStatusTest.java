package io.kdensity.scale.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.shell.LocalShell;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NodeStatusTest {
  @Test
  @DisplayName("pid_max is read whole, as cat reads it (Java 17's readString returned one byte)")
  void readsPidMaxWhole() throws Exception {
    long expected = Long.parseLong(new LocalShell().readFile("/proc/sys/kernel/pid_max").strip());
    assertThat(expected).isGreaterThan(300);
    assertThat(NodeStatus.pidMax()).isEqualTo(expected);
  }
}
