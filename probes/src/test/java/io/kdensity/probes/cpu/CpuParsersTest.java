package io.kdensity.probes.cpu;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.Counters;
import io.kdensity.probes.parse.ParseException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expected values are written out, read off the fixtures by hand (hex converted once). */
class CpuParsersTest {

  @Test
  @DisplayName("softnet_stat of a 6.18 kernel (15 columns): CPU index from column 13")
  void softnetStatOfA615ColumnKernel() {
    List<SoftnetCpu> s =
        SoftnetStatParser.parse(load("softnet/softnet_stat-2cpu.txt"), "/proc/net/softnet_stat");
    assertThat(s)
        .containsExactly(
            // 0061fe97 0010439c 000000b4 … (row 0), 007020ad 0012dc2d 000000b5 … (row 1)
            new SoftnetCpu(0, 6_422_167, 1_065_884, 180, 0, 0),
            new SoftnetCpu(1, 7_348_397, 1_236_013, 181, 0, 0));
  }

  @Test
  void softnetStatOfAnOldKernelWithElevenColumnsUsesRowNumbers() {
    String old =
        "0000a000 00000002 00000003 00000000 00000000 00000000 00000000 00000000 00000000 00000004 00000005\n"
            + "0000b000 00000000 00000001 00000000 00000000 00000000 00000000 00000000 00000000 00000000 00000000\n";
    List<SoftnetCpu> s = SoftnetStatParser.parse(old, "/proc/net/softnet_stat");
    assertThat(s)
        .containsExactly(
            new SoftnetCpu(0, 0xa000, 2, 3, 4, 5), new SoftnetCpu(1, 0xb000, 0, 1, 0, 0));
  }

  @Test
  @DisplayName("an empty softnet_stat is a node listing no CPU, not an error")
  void emptySoftnetStatIsNoCpu() {
    assertThat(SoftnetStatParser.parse(load("softnet/softnet_stat-empty.txt"), "softnet"))
        .isEmpty();
  }

  @ParameterizedTest(name = "{0} → {1}: +{2}")
  @DisplayName("a 32-bit softnet counter that wrapped between two snapshots is its true increase")
  @CsvSource({
    "0, a, 10",
    "fffffff0, 10, 32",
    "ffffffff, 0, 1",
    "ffffffff, ffffffff, 0",
    "80000000, 7fffffff, 4294967295",
  })
  void delta32(String before, String after, long increase) {
    assertThat(Counters.delta32(Long.parseLong(before, 16), Long.parseLong(after, 16)))
        .isEqualTo(increase);
  }

  @Test
  void softnetStatWithGarbageNamesTheLine() {
    assertThatThrownBy(
            () -> SoftnetStatParser.parse("0000000f zz 00000000\n", "/proc/net/softnet_stat"))
        .isInstanceOf(ParseException.class)
        .hasMessage(
            "cannot parse /proc/net/softnet_stat line 1: 'zz' is not a hex number: '0000000f zz 00000000'");
  }

  @Test
  void softirqs() {
    Softirqs s = SoftirqsParser.parse(load("softirqs/softirqs-2cpu.txt"), "/proc/softirqs");
    assertThat(s.cpus()).containsExactly("CPU0", "CPU1");
    assertThat(s.counts().get("NET_RX")).containsExactly(109_222L, 125_049L);
    assertThat(s.counts().get("NET_TX")).containsExactly(121L, 3_640L);
    assertThat(s.total("NET_RX")).isEqualTo(234_271);
    assertThat(s.total("NO_SUCH")).isZero();
  }

  @Test
  void procStatSoftirqTime() {
    List<CpuTimes> t = ProcStatParser.parse(load("procstat/stat-2cpu.txt"), "/proc/stat");
    assertThat(t)
        .containsExactly(
            new CpuTimes("cpu", 9217, 0, 9126, 266_419, 437, 0, 26_354, 0),
            new CpuTimes("cpu0", 3895, 0, 4030, 134_655, 16, 0, 13_198, 0),
            new CpuTimes("cpu1", 5322, 0, 5096, 131_764, 421, 0, 13_156, 0));
    assertThat(t.get(0).total()).isEqualTo(311_553);
  }
}
