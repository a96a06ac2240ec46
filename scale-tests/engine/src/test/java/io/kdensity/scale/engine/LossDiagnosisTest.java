package io.kdensity.scale.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.scale.targets.Target;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LossDiagnosisTest {
  static final String ADDR = "fd00:10:1::5";
  static final String ROUTE = "fd00:10:1::5 dev kd-abc123-tor0 proto kernel metric 256 pref medium";

  /** What the pinging side shows: its route and neighbour entry for the lost address. */
  static FixtureShell side(boolean route, String state) {
    FixtureShell sh = new FixtureShell("fabric");
    if (route) {
      sh.command("ip route get " + ADDR, ROUTE + "\n");
    } else {
      sh.command("ip route get " + ADDR, 2, "", "RTNETLINK answers: Network is unreachable\n");
    }
    sh.command("ip -j -s link", "[]");
    sh.command(
        "ip -j -s neigh show to " + ADDR,
        state.isEmpty()
            ? "[]"
            : "[{\"dst\":\""
                + ADDR
                + "\",\"dev\":\"kd-abc123-tor0\",\"state\":[\""
                + state
                + "\"],\"updated\":4}]");
    return sh;
  }

  static Finding unreachable() {
    return Finding.of(
            Severity.CRITICAL,
            Cause.LOSS_UNEXPLAINED,
            "pod kd-abc123-p00007 net1",
            "1 of 600 addresses did not answer their gateway",
            List.of(Evidence.observed("pod kd-abc123-p00007 net1", ADDR + " unreachable")))
        .from("ip-loss");
  }

  @ParameterizedTest(name = "route {0}, entry {1}, table_fulls +{2}, backlog drops +{3} → {4}")
  @DisplayName("an address that did not answer gets the cause its evidence shows")
  @CsvSource({
    // route, neighbour state, table_fulls, backlog drops, cause
    "true, FAILED, 85, 0, NEIGHBOUR_REFUSED",
    "true, '', 85, 0, NEIGHBOUR_REFUSED",
    "true, INCOMPLETE, 0, 12, NEIGHBOUR_UNANSWERED",
    "false, FAILED, 85, 12, NO_ROUTE",
    "true, REACHABLE, 85, 12, LOSS_UNEXPLAINED",
    "true, FAILED, 0, 0, LOSS_UNEXPLAINED",
  })
  void causeFromEvidence(boolean route, String state, double fulls, double drops, Cause cause) {
    FixtureShell sh = side(route, state);
    LossDiagnosis d = new LossDiagnosis(a -> Optional.of(new Target.PingPath(sh, a)));
    List<Finding> out =
        d.diagnose(
            List.of(unreachable()),
            Map.of("neigh.v6.table_fulls", fulls, "softnet.dropped", drops));
    assertThat(out)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.cause()).isEqualTo(cause);
              assertThat(f.origin()).isEqualTo("ip-loss");
              assertThat(f.message())
                  .startsWith(
                      "1 of 600 addresses did not answer their gateway — of the 1 checked: 1 ");
              assertThat(f.evidence())
                  .singleElement()
                  .extracting(Evidence::raw)
                  .asString()
                  .startsWith(cause.summary());
            });
  }

  @Test
  @DisplayName("drops counted on the pinging side's links explain an unanswered neighbour")
  void linkDropsExplainAnUnansweredNeighbour() {
    FixtureShell sh =
        side(true, "INCOMPLETE")
            .command(
                "ip -j -s link",
                "[{\"ifindex\":5,\"ifname\":\"kd-abc123-tor0\",\"stats64\":{\"rx\":{\"dropped\":7},\"tx\":{\"dropped\":2}}}]");
    Finding f =
        new LossDiagnosis(a -> Optional.of(new Target.PingPath(sh, a)))
            .diagnose(List.of(unreachable()), Map.of())
            .get(0);
    assertThat(f.cause()).isEqualTo(Cause.NEIGHBOUR_UNANSWERED);
    assertThat(f.evidence().get(0).raw()).contains("the links there dropped 9 packets");
  }

  @Test
  @DisplayName(
      "with the router's entry pinned, the pod's own entry for its gateway shows the refusal")
  void theReplySideShowsTheRefusal() {
    FixtureShell router = side(true, "PERMANENT");
    FixtureShell pod =
        new FixtureShell("pod")
            .command("ip route get fd00:10:1::1", "fd00:10:1::1 dev net1 metric 256\n")
            .command("ip -j -s neigh show to fd00:10:1::1", "[]")
            .command("ip -j -s link", "[]");
    Finding f =
        new LossDiagnosis(a -> Optional.of(new Target.PingPath(router, a, pod, "fd00:10:1::1")))
            .diagnose(List.of(unreachable()), Map.of("neigh.v6.table_fulls", 85.0))
            .get(0);
    assertThat(f.cause()).isEqualTo(Cause.NEIGHBOUR_REFUSED);
    assertThat(f.evidence().get(0).raw())
        .isEqualTo(
            "the neighbour table refused its entry: entry for fd00:10:1::1 in fixture pod: no"
                + " entry while the node's table refused 85 entries (table_fulls)");
  }

  @Test
  @DisplayName("an unexplained loss says what was checked")
  void unexplainedListsWhatWasChecked() {
    FixtureShell sh = side(true, "REACHABLE");
    Finding f =
        new LossDiagnosis(a -> Optional.of(new Target.PingPath(sh, a)))
            .diagnose(List.of(unreachable()), Map.of())
            .get(0);
    assertThat(f.evidence().get(0).raw())
        .isEqualTo(
            "cause unknown: checked: route "
                + ROUTE
                + "; entry for "
                + ADDR
                + " in fixture fabric: REACHABLE, changed 4 s ago; table_fulls +0; backlog drops +0; link drops 0");
  }

  @Test
  @DisplayName(
      "another probe's evidence on the loss (a kernel drop counter) is kept as it is and casts no vote")
  void dropCountersKeepTheirFormAndDoNotVote() {
    Evidence drops =
        Evidence.counter(
            "kernel drops, reason NEIGH_CREATEFAIL",
            0,
            46,
            "skb:kfree_skb: no neighbour entry could be made (the table was full)");
    Finding loss = unreachable().withMoreEvidence(List.of(drops, drops));
    FixtureShell sh = side(true, "");
    Finding f =
        new LossDiagnosis(a -> Optional.of(new Target.PingPath(sh, a)))
            .diagnose(List.of(loss), Map.of("neigh.v6.table_fulls", 46.0))
            .get(0);
    assertThat(f.cause()).isEqualTo(Cause.NEIGHBOUR_REFUSED);
    assertThat(f.message()).endsWith("— of the 1 checked: 1 the neighbour table refused its entry");
    assertThat(f.evidence()).hasSize(3).endsWith(drops, drops);
  }

  @Test
  @DisplayName("findings that are not unexplained losses pass through untouched")
  void otherFindingsUntouched() {
    Finding dad =
        Finding.of(Severity.CRITICAL, Cause.DAD_FAILED, "node", "1 of 6 failed DAD", List.of());
    assertThat(new LossDiagnosis(a -> Optional.empty()).diagnose(List.of(dad), Map.of()))
        .containsExactly(dad);
  }
}
