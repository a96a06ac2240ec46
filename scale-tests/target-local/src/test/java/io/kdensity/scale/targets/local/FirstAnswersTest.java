package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.reach.FpingParser;
import io.kdensity.scale.targets.AttachStages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FirstAnswersTest {
  private static final long MS = 1_000_000L;

  @Test
  @DisplayName(
      "an answer to a first-round request is its round trip; one that left half a timeout after its"
          + " place in the first round was a retry's, and the wait counts from that place")
  void firstRequestsFollowFpingsSchedule() {
    // fping -i 1 -t 500: targets 0..3 get their first requests 1 ms apart from t = 100 ms
    List<String> targets = List.of("fd00::a", "fd00::b", "fd00::c", "FD00::D");
    List<FpingParser.Answer> answers =
        List.of(
            new FpingParser.Answer("fd00::a", 2 * MS), // sent at 100, read at 102
            new FpingParser.Answer("fd00::c", MS / 2), // sent at 102, read at 102.5
            new FpingParser.Answer("fd00::b", 3 * MS), // the retry at 601, read at 604
            new FpingParser.Answer("fd00::e", MS)); // not a target of this fping
    List<Long> readAt = List.of(102 * MS, 102 * MS + MS / 2, 604 * MS, 700 * MS);

    List<Reachability.Timed> timed =
        Reachability.firstRequests(
            targets, answers, readAt, Duration.ofMillis(1), Duration.ofMillis(500));

    assertThat(timed)
        .containsExactly(
            new Reachability.Timed("fd00::a", 102 * MS, 2 * MS, 100 * MS),
            new Reachability.Timed("fd00::c", 102 * MS + MS / 2, MS / 2, 102 * MS),
            new Reachability.Timed("fd00::b", 604 * MS, 3 * MS, 101 * MS));
    assertThat(timed.get(2).sinceFirstRequest()).isEqualTo(503 * MS);
  }

  private static NeighbourWatch.Key gatewaysEntry(String podAddress) {
    return new NeighbourWatch.Key(1, podAddress);
  }

  private static NeighbourWatch.Key podsEntry(int pod) {
    return new NeighbourWatch.Key(pod, "fd00::1");
  }

  /** Each new address: the gateway's entry for it (namespace 1), its pod's for the gateway. */
  private static final Map<String, Set<NeighbourWatch.Key>> NEW =
      Map.of(
          "fd00::a", Set.of(gatewaysEntry("fd00::a"), podsEntry(10)),
          "fd00::b", Set.of(gatewaysEntry("fd00::b"), podsEntry(11)),
          "fd00::c", Set.of(gatewaysEntry("fd00::c"), podsEntry(12)));

  @Test
  @DisplayName(
      "a new address's wait and the resolution inside it; an old address, a second answer and a"
          + " notice outside the wait are not counted")
  void recordsNewAddressesOnly() {
    AttachStages stages = AttachStages.recorder();
    List<Reachability.Timed> answers =
        List.of(
            // first request at 100 ms, answered at 100.4; the gateway resolved it at 100.3
            new Reachability.Timed("fd00::a", 100_400_000L, 400_000L, 100 * MS),
            // the same address again (a second sweep's answer): not another first
            new Reachability.Timed("fd00::a", 200 * MS, 100_000L, 200 * MS - 100_000L),
            // a retry's answer: first request at 101, answered at 604; the pod resolved its
            // gateway at 603.5 (a static entry on the gateway's side)
            new Reachability.Timed("fd00::b", 604 * MS, 3 * MS, 101 * MS),
            // the notice came 50 ms before the request: an entry resolved before
            new Reachability.Timed("fd00::c", 300 * MS, MS, 299 * MS),
            // an old pod's address
            new Reachability.Timed("fd00::9", 400 * MS, MS, 399 * MS));
    Map<NeighbourWatch.Key, Long> heard =
        Map.of(
            gatewaysEntry("fd00::a"), 100_300_000L,
            podsEntry(11), 603_500_000L,
            gatewaysEntry("fd00::c"), 249 * MS,
            gatewaysEntry("fd00::9"), 399_500_000L);

    FirstAnswers.record(answers, NEW, heard, stages);

    assertThat(stages.firstAnswerMicros().getTotalCount()).isEqualTo(3);
    assertThat(stages.firstAnswerMicros().getMinValue()).isEqualTo(400);
    assertThat(stages.firstAnswerMicros().getMaxValue()).isBetween(503_000L, 503_500L);
    assertThat(stages.neighbourMicros().getTotalCount()).isEqualTo(2);
    assertThat(stages.neighbourMicros().getMinValue()).isEqualTo(300);
    assertThat(stages.neighbourMicros().getMaxValue()).isBetween(502_500L, 503_000L);
  }

  @Test
  @DisplayName("both ends resolved in the wait: the resolution lasts until the later notice")
  void bothEndsResolvedCountsUntilTheLater() {
    AttachStages stages = AttachStages.recorder();
    FirstAnswers.record(
        List.of(new Reachability.Timed("fd00::a", 102 * MS, 2 * MS, 100 * MS)),
        NEW,
        Map.of(gatewaysEntry("fd00::a"), 100_500_000L, podsEntry(10), 101_200_000L),
        stages);
    assertThat(stages.neighbourMicros().getMaxValue()).isEqualTo(1200);
  }

  @Test
  @DisplayName("a notice read after the answer's line is capped at the wait")
  void aLateNoticeIsCappedAtTheWait() {
    AttachStages stages = AttachStages.recorder();
    FirstAnswers.record(
        List.of(new Reachability.Timed("fd00::a", 100_100_000L, 100_000L, 100 * MS)),
        NEW,
        Map.of(gatewaysEntry("fd00::a"), 102 * MS),
        stages);
    assertThat(stages.neighbourMicros().getMaxValue()).isEqualTo(100);
  }
}
