package io.kdensity.probes.neigh;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.neigh.NeighbourCensus.Tally;
import io.kdensity.probes.neigh.NeighbourProbe.Family;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NeighbourCensusTest {

  @ParameterizedTest(name = "{0} {1}, updated {2} s ago: {3}")
  @DisplayName("sorts an entry as neigh_forced_gc does")
  @CsvSource({
    // dst,            state,      updated, hold
    "fd00:10:1::5,     REACHABLE,  30,      PINNED", // the timer holds it at any age
    "fd00:10:1::5,     DELAY,      9,       PINNED",
    "fd00:10:1::5,     PROBE,      9,       PINNED",
    "fd00:10:1::5,     INCOMPLETE, 0,       PINNED",
    "fd00:10:1::5,     STALE,      4,       PINNED", // 4.x s: inside the 5 s grace
    "fd00:10:1::5,     STALE,      5,       REMOVABLE",
    "fd00:10:1::5,     FAILED,     0,       REMOVABLE",
    "ff02::1:ff00:5,   STALE,      0,       REMOVABLE", // multicast at any age
    "ff02::1:ff00:5,   NOARP,      0,       REMOVABLE",
    "224.0.0.22,       STALE,      0,       REMOVABLE",
    "198.18.0.1,       STALE,      1,       PINNED",
    "fd00:10:1::5,     PERMANENT,  0,       EXEMPT",
  })
  void sortsAsForcedGc(String dst, String state, long updated, GcHold hold) {
    NeighEntry e =
        new NeighEntry(
            dst, "net1", "02:00:00:00:00:01", List.of(state), false, Duration.ofSeconds(updated));
    assertThat(GcHold.of(e)).isEqualTo(hold);
  }

  @Test
  @DisplayName("an entry without its age and in no timer state is removable")
  void noAgeIsRemovable() {
    assertThat(GcHold.of(new NeighEntry("fd00::5", "net1", "02:00:00:00:00:01", List.of("STALE"))))
        .isEqualTo(GcHold.REMOVABLE);
  }

  @Test
  @DisplayName("tallies a pod's dump by family: exempt, pinned, removable")
  void talliesADump() {
    Map<Family, Tally> t =
        NeighbourCensus.sort(IpNeighParser.parse(load("neigh/census-pod.json"), "census-pod.json"));
    // v6: REACHABLE, STALE 2 s, INCOMPLETE, DELAY pinned; STALE 9 s, two multicast, FAILED
    // removable; PERMANENT exempt
    assertThat(t.get(Family.V6)).isEqualTo(new Tally(1, 4, 4));
    // v4: REACHABLE pinned; STALE 40 s and the IGMP group removable
    assertThat(t.get(Family.V4)).isEqualTo(new Tally(0, 1, 2));
    assertThat(t.get(Family.V6).counted()).isEqualTo(8);
  }
}
