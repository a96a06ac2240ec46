package io.kdensity.probes.cpu;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.ParseException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuParsersTest {

  @Test
  void softnetStatOfA615ColumnKernel() {
    List<SoftnetCpu> s =
        SoftnetStatParser.parse(load("softnet/softnet_stat-2cpu.txt"), "/proc/net/softnet_stat");
    assertThat(s).hasSize(2);
    String[] row0 = load("softnet/softnet_stat-2cpu.txt").split("\n")[0].split(" ");
    assertThat(s.get(0).cpu()).isZero();
    assertThat(s.get(0).processed()).isEqualTo(Long.parseLong(row0[0], 16));
    assertThat(s.get(0).timeSqueeze()).isEqualTo(Long.parseLong(row0[2], 16));
    assertThat(s.get(1).cpu()).isEqualTo(1);
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
    assertThat(s.counts().get("NET_RX")).hasSize(2);
    assertThat(s.total("NET_RX"))
        .isEqualTo(s.counts().get("NET_RX").get(0) + s.counts().get("NET_RX").get(1));
    assertThat(s.total("NO_SUCH")).isZero();
  }

  @Test
  void procStatSoftirqTime() {
    List<CpuTimes> t = ProcStatParser.parse(load("procstat/stat-2cpu.txt"), "/proc/stat");
    assertThat(t).extracting(CpuTimes::cpu).containsExactly("cpu", "cpu0", "cpu1");
    assertThat(t.get(0).softirq()).isEqualTo(t.get(1).softirq() + t.get(2).softirq());
    assertThat(t.get(0).total()).isGreaterThan(t.get(0).idle());
  }
}
