package io.kdensity.probes.reach;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.ParseException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FpingParserTest {

  @Test
  void aliveAndUnreachableTargets() {
    Map<String, Boolean> r =
        FpingParser.parse(load("fping/two-alive-two-unreachable.txt"), "fping");
    assertThat(r)
        .containsExactly(
            Map.entry("fd00:10:1::10", true),
            Map.entry("fd00:10:1::11", true),
            Map.entry("fd00:10:1::99", false),
            Map.entry("fd00:10:1::9a", false));
  }

  @Test
  void retriesAndIcmpErrorsAreUnderstood() {
    Map<String, Boolean> r =
        FpingParser.parse(
            "ICMP Address Unreachable from fd00::1 for ICMP Echo sent to fd00::5\nfd00::5 is unreachable\nfd00::6 is alive (retry 1)\n",
            "fping");
    assertThat(r).containsEntry("fd00::5", false).containsEntry("fd00::6", true);
  }

  @Test
  void duplicateRepliesAreReportsNotTargets() {
    // captured on sim-cluster at 200 pods x 5 macvlans with the neighbour table overflowing
    Map<String, Boolean> r =
        FpingParser.parse(
            "fd00:10:4::80 : duplicate for [0], 64 bytes, 10.8 ms\nfd00:10:4::80 is alive\n",
            "fping");
    assertThat(r).containsExactly(Map.entry("fd00:10:4::80", true));
  }

  @Test
  void unknownLinesAreErrors() {
    assertThatThrownBy(() -> FpingParser.parse("fd00::5 is sleeping\n", "fping"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("line 1");
  }
}
