package io.kdensity.scale.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.scale.targets.InfrastructureException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SteadyHoldTest {

  private static FixtureShell node(String v6, String v4) {
    return new FixtureShell("host")
        .file(SteadyHold.BASE_REACHABLE_TIME[0], v6 + "\n")
        .file(SteadyHold.BASE_REACHABLE_TIME[1], v4 + "\n");
  }

  @ParameterizedTest(name = "base_reachable_time v6 {0} ms, v4 {1} ms: held {2} ms")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # v6 ms | v4 ms | held ms: 1.5 x the larger + forced GC's 5 s
            30000 | 30000 | 50000
            60000 | 30000 | 95000
            30000 | 10000 | 50000
            1000  | 2000  | 8000
          """)
  void oneReachableLifetimeAndForcedGcsGrace(String v6, String v4, long heldMs) {
    assertThat(SteadyHold.length(node(v6, v4))).isEqualTo(Duration.ofMillis(heldMs));
  }

  @Test
  void kernelOutputThatIsNoNumberNamesItsFile() {
    assertThatThrownBy(() -> SteadyHold.length(node("30000", "thirty")))
        .isInstanceOf(InfrastructureException.class)
        .hasMessage(
            "/proc/sys/net/ipv4/neigh/default/base_reachable_time_ms of fixture host holds 'thirty', not a"
                + " number of milliseconds");
  }
}
