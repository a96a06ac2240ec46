package io.kdensity.probes.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.ParseException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NodeMemoryTest {
  /** The head of this machine's /proc/meminfo (Linux 6.18), and fields of its tail. */
  private static final String MEMINFO =
      """
      MemTotal:       24683664 kB
      MemFree:        23557640 kB
      MemAvailable:   23878424 kB
      Cached:           475784 kB
      Slab:             208532 kB
      SReclaimable:     132216 kB
      SUnreclaim:        76316 kB
      KernelStack:        6112 kB
      PageTables:         5528 kB
      Percpu:             9408 kB
      HugePages_Total:       0
      """;

  @Test
  @DisplayName("MemTotal, total less MemAvailable, and the kernel's unreclaimable part")
  void parses() {
    NodeMemory m = NodeMemory.parse(MEMINFO);
    assertThat(m.totalKb()).isEqualTo(24683664);
    assertThat(m.usedKb()).isEqualTo(24683664 - 23878424);
    // SUnreclaim + Percpu + KernelStack + PageTables
    assertThat(m.kernelKb()).isEqualTo(76316 + 9408 + 6112 + 5528);
  }

  @Test
  @DisplayName("a line that is no field, a missing field: an error naming the file and line")
  void badInput() {
    assertThatThrownBy(() -> NodeMemory.parse(MEMINFO + "garbage\n"))
        .isInstanceOf(ParseException.class)
        .hasMessage("cannot parse /proc/meminfo line 12: expected 'Field: value [kB]': 'garbage'");
    assertThatThrownBy(() -> NodeMemory.parse(MEMINFO.replace("Percpu", "PerCpu")))
        .isInstanceOf(ParseException.class)
        .hasMessage("cannot parse /proc/meminfo: no Percpu field (Linux 4.16 or later has it)");
    assertThatThrownBy(() -> NodeMemory.parse("MemTotal: many kB\n"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("line 1: 'many' is not an unsigned 64-bit number");
  }
}
