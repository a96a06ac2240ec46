package io.kdensity.probes.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.ParseException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcSelfStatTest {
  @Test
  void readsOwnAndReapedChildrenTimesInUserHzTicks() {
    // a JVM's line (6.18): utime 1234, stime 56, cutime 700, cstime 45 ticks of 1/100 s
    String line =
        "4711 (java) S 1 4711 4711 0 -1 4194560 51021 3309 0 0 1234 56 700 45 20 0 38 0 2519"
            + " 6069223424 74240 18446744073709551615 1 1 0 0 0 0 0 4096 16796879 0 0 0 17 1 0 0"
            + " 0 0 0 0 0 0 0 0 0 0 0\n";

    ProcSelfStat.Own t = ProcSelfStat.parse(line, "/proc/self/stat");

    assertThat(t.self()).isEqualTo(Duration.ofMillis(12_900));
    assertThat(t.children()).isEqualTo(Duration.ofMillis(7_450));
  }

  @Test
  void aCommandNameWithSpacesAndParenthesesDoesNotShiftTheFields() {
    String line = "12 (a) b (c)) R 1 12 12 0 -1 0 0 0 0 0 3 4 5 6 20 0 1 0 9 0 0\n";

    ProcSelfStat.Own t = ProcSelfStat.parse(line, "x");

    assertThat(t.self()).isEqualTo(Duration.ofMillis(70));
    assertThat(t.children()).isEqualTo(Duration.ofMillis(110));
  }

  @Test
  void differenceOfTwoReadings() {
    var a = new ProcessCpu.Times(ms(100), ms(40), ms(5_000));
    var b = new ProcessCpu.Times(ms(350), ms(1040), ms(5_600));

    assertThat(b.minus(a)).isEqualTo(new ProcessCpu.Times(ms(250), ms(1000), ms(600)));
  }

  @Test
  void aTruncatedLineIsAParseErrorNamingTheFile() {
    assertThatThrownBy(() -> ProcSelfStat.parse("1 (java) S 1 1 1 0", "/proc/self/stat"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("/proc/self/stat")
        .hasMessageContaining("expected at least 17 fields");
  }

  @Test
  void thisJvmHasSpentSomeCpuAndTheMachineHasIdled() {
    ProcessCpu.Times t = ProcessCpu.SELF.read();
    assertThat(t.self()).isPositive();
    assertThat(t.machineIdle()).isPositive();
    assertThat(ProcessCpu.SELF.cores()).isPositive();
  }

  private static Duration ms(long ms) {
    return Duration.ofMillis(ms);
  }
}
