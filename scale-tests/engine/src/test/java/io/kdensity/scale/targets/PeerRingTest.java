package io.kdensity.scale.targets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerRingTest {
  private static final List<String> MEMBERS = List.of("a", "b", "c", "d");

  @ParameterizedTest(name = "member {0}, k {1}: {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          0 | 0 | ''
          0 | 1 | b
          0 | 2 | b c
          2 | 2 | d a
          3 | 2 | a b
          3 | 3 | a b c
          1 | 9 | c d a
          """)
  void nextMembersWrappingAroundNeverItself(int index, int k, String expected) {
    List<String> want = expected.isEmpty() ? List.of() : Arrays.asList(expected.split(" "));
    assertThat(PeerRing.peersOf(MEMBERS, index, k)).isEqualTo(want);
  }

  @ParameterizedTest(name = "alone, k {0}")
  @CsvSource({"0", "1", "5"})
  void aLoneMemberHasNoPeers(int k) {
    assertThat(PeerRing.peersOf(List.of("a"), 0, k)).isEmpty();
  }
}
