package io.kdensity.probes.reach;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.ParseException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

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

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # fping -e line (5.1)                 | address     | round trip, ns
          fd00:99::2 is alive (0.068 ms)        | fd00:99::2  | 68000
          FD00:99::0:4 is alive (251 ms)        | fd00:99::4  | 251000000
          198.18.99.2 is alive (1.02e+03 ms)    | 198.18.99.2 | 1020000000
          """)
  void anAnswerCarriesItsRoundTrip(String line, String address, long rtt) {
    assertThat(FpingParser.answer(line)).contains(new FpingParser.Answer(address, rtt));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "fd00::5 is unreachable",
        "fd00::6 is alive",
        "fd00:10:4::80 : duplicate for [0], 64 bytes, 10.8 ms"
      })
  void otherLinesAreNoTimedAnswers(String line) {
    assertThat(FpingParser.answer(line)).isEmpty();
  }

  @Test
  void aliveWithARoundTripIsAlive() {
    assertThat(FpingParser.parse("fd00::6 is alive (0.068 ms)\n", "fping"))
        .containsExactly(Map.entry("fd00::6", true));
  }

  @Test
  void unknownLinesAreErrors() {
    assertThatThrownBy(() -> FpingParser.parse("fd00::5 is sleeping\n", "fping"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("line 1");
  }
}
