package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Lines as iproute2 6.1's {@code ip -o monitor all-nsid neigh} printed them on this kernel: a ping
 * from namespace 0 to a new IPv4 and a new IPv6 neighbour, one to an absent address, then a flush.
 */
class NeighbourWatchTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # line                                                                       | nsid | reachable
          [nsid 0]fd00:99::2 dev if10 lladdr c6:09:45:b7:39:78 REACHABLE               | 0    | fd00:99::2
          [nsid 0]198.18.99.2 dev if10 lladdr c6:09:45:b7:39:78 REACHABLE              | 0    | 198.18.99.2
          [nsid 13]FD00:0:0::0a dev if4 lladdr c6:09:45:b7:39:78 router REACHABLE      | 13   | fd00::a
          [nsid 1]fd00:99::1 dev if9 lladdr be:0c:9f:49:49:73 STALE                    |      |
          [nsid 0]fd00:99::7 dev if10 FAILED                                           |      |
          [nsid 0]Deleted fd00:99::2 dev if10 FAILED                                   |      |
          [nsid 0]Deleted fd00:99::2 dev if10 lladdr c6:09:45:b7:39:78 REACHABLE       |      |
          fd00:99::2 dev v0 lladdr c6:09:45:b7:39:78 REACHABLE                         |      |
          """)
  void announcesOnlyAnotherNamespacesReachableEntries(String line, Integer nsid, String reachable) {
    assertThat(NeighbourWatch.reachable(line))
        .isEqualTo(Optional.ofNullable(reachable).map(a -> new NeighbourWatch.Key(nsid, a)));
  }
}
