package io.kdensity.tuning.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.conntrack.ConntrackProbe;
import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.tuning.profile.Profile;
import io.kdensity.tuning.profile.ProfileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecommenderTest {
  @TempDir Path dir;

  static Finding f(Cause c, String msg, long before, long after) {
    return new Finding(
        c.code(),
        Severity.CRITICAL,
        c,
        "node",
        msg,
        List.of(Evidence.counter("counter", before, after)),
        "test",
        4);
  }

  private static Recommender.Context ctx(Map<String, Double> metrics) {
    return new Recommender.Context(2000, 6, 0, 0, metrics, 2, 0);
  }

  @Test
  @DisplayName(
      "neighbour overflow is sized from pods × interfaces × measured entries per interface, 1.5× headroom, power of two")
  void neighbourSizing() {
    List<Recommendation> r =
        Recommender.recommend(
            List.of(
                f(Cause.NEIGHBOUR_TABLE_FULL, "table full", 100, 210),
                f(
                    Cause.NEIGHBOUR_REFUSED,
                    "2 of 420 addresses did not answer their gateway",
                    0,
                    0)),
            new Recommender.Context(
                2000,
                6,
                70,
                420,
                Map.of(NeighbourProbe.Family.V6.metrics().gcThresh3().name(), 1024.0),
                2,
                2.5));
    // 2000 × 6 × 2.5 = 30,000 entries; × 1.5 = 45,000 → 65,536
    assertThat(r)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.id()).isEqualTo("neigh-gc-thresh");
              assertThat(x.sysctl())
                  .containsEntry("net.ipv6.neigh.default.gc_thresh3", "65536")
                  .containsEntry("net.ipv6.neigh.default.gc_thresh2", "49152")
                  .containsEntry("net.ipv6.neigh.default.gc_thresh1", "16384");
              assertThat(x.rationale())
                  .contains(
                      "this run measured 2.5 per interface",
                      "30,000 entries",
                      "The knee is at 70 pods");
              assertThat(x.evidence()).contains("step 4: table full", "  counter 100 → 210");
            });
  }

  @Test
  @DisplayName("with the capacity model's need per interface, the rationale says it is the model's")
  void neighbourSizingFromTheModel() {
    List<Recommendation> r =
        Recommender.recommend(
            List.of(f(Cause.NEIGHBOUR_TABLE_FULL, "table full", 100, 210)),
            new Recommender.Context(
                200,
                6,
                100,
                600,
                Map.of(NeighbourProbe.Family.V6.metrics().gcThresh3().name(), 1024.0),
                2,
                new Recommender.EntriesPerInterface(
                    1.605, "1,926 entries at 200 pods (8.8 pinned a pod …)", true)));
    // 200 × 6 × 1.605 = 1,926 entries; × 1.5 = 2,889 → 4,096
    assertThat(r)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.sysctl()).containsEntry("net.ipv6.neigh.default.gc_thresh3", "4096");
              assertThat(x.rationale())
                  .contains(
                      "the capacity model calibrated in this run needs 1.6 per interface: 1,926"
                          + " entries at 200 pods",
                      "200 pods × 6 interfaces × 1.6 = 1,926 entries, against gc_thresh3 = 1,024"
                          + " now")
                  .doesNotContain("this run measured");
            });
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                    | cause                | max now | entries | knee pods | target pods | recommended | says
          150 full at 100 pods, 2,000 asked         | CONNTRACK_DROPPING   | 150     | 120     | 100       | 2000        | 4800        | It held 150 entries at 100 pods, so 2,000 pods need at least 3,000; with 1.5× headroom, 4,800
          a target below the knee: twice what is in | CONNTRACK_EVICTING   | 262144  | 262144  | 1500      | 1000        | 524288      | Unassured connections were evicted
          no knee to size from: twice what is in    | CONNTRACK_DROPPING   | 65536   | 65000   | 0         | 2000        | 131072      | Twice the 65,536 in force: 131,072
          near the limit: sized from what it held   | CONNTRACK_NEAR_LIMIT | 1000    | 950     | 100       | 400         | 8000        | came near its limit (nf_conntrack_max 1,000); the kernel counts each namespace's entries against this one node-wide limit. It held 950 entries at 100 pods, so 400 pods need at least 3,800
          """)
  void conntrackIsSizedFromTheKnee(
      String what,
      Cause cause,
      double now,
      double entries,
      int knee,
      int target,
      String recommended,
      String says) {
    List<Recommendation> r =
        Recommender.recommend(
            List.of(f(cause, "conntrack table full", 0, 48)),
            new Recommender.Context(
                target,
                6,
                knee,
                knee * 6,
                Map.of(
                    ConntrackProbe.MAX_ENTRIES.name(), now, ConntrackProbe.ENTRIES.name(), entries),
                2,
                0));
    assertThat(r)
        .as(what)
        .singleElement()
        .satisfies(
            x -> {
              assertThat(x.id()).isEqualTo("conntrack-max");
              assertThat(x.sysctl())
                  .containsExactly(Map.entry("net.netfilter.nf_conntrack_max", recommended));
              assertThat(x.rationale()).contains(says);
            });
  }

  @Test
  void everyCodeMapsToAConcreteChange() {
    List<Recommendation> r =
        Recommender.recommend(
            List.of(
                f(Cause.BRIDGE_FULL, "7 attaches failed: exchange full", 0, 0),
                f(Cause.BACKLOG_FULL, "drops", 0, 5),
                f(Cause.BUDGET_EXHAUSTED, "squeeze", 0, 9),
                f(Cause.RECEIVE_BUFFER_FULL, "rcvbuf", 0, 4321),
                f(Cause.DAD_FAILED, "3 of 9 addresses failed duplicate address detection", 0, 0),
                f(Cause.UNICAST_FILTER_FULL, "promisc", 0, 1)),
            ctx(Map.of(PacketCpuProbe.CYCLES_PER_HOP.name(), 5200.0)));
    assertThat(r)
        .extracting(Recommendation::code)
        .containsExactlyInAnyOrder(
            FindingCode.BRIDGE_PORT_LIMIT,
            FindingCode.SOFTNET_DROPS,
            FindingCode.SOFTNET_TIME_SQUEEZE,
            FindingCode.SOCKET_RCVBUF_ERRORS,
            FindingCode.IP_LOSS,
            FindingCode.NIC_PROMISC_FALLBACK);
    Map<FindingCode, Recommendation> by = new java.util.EnumMap<>(FindingCode.class);
    r.forEach(x -> by.put(x.code(), x));
    assertThat(by.get(FindingCode.BRIDGE_PORT_LIMIT).actions())
        .anyMatch(a -> a.contains("macvlan or ipvlan"));
    assertThat(by.get(FindingCode.SOFTNET_DROPS).sysctl())
        .containsEntry("net.core.netdev_max_backlog", "16384");
    assertThat(by.get(FindingCode.SOCKET_RCVBUF_ERRORS).sysctl())
        .containsEntry("net.core.rmem_max", "16777216");
    assertThat(by.get(FindingCode.IP_LOSS).podSysctl())
        .containsEntry("net.ipv6.conf.default.accept_dad", "0");
    assertThat(by.get(FindingCode.NIC_PROMISC_FALLBACK).rationale())
        .contains("5,200 CPU cycles per packet");
    assertThat(r.get(0).code())
        .isEqualTo(FindingCode.SOCKET_RCVBUF_ERRORS); // largest counter moved
  }

  @ParameterizedTest(name = "backlog full {0}, broadcast queue full {1}")
  @DisplayName(
      "a full input backlog raises netdev_max_backlog; a full uplink broadcast queue asks for a longer bcqueuelen and changes no sysctl")
  @CsvSource({
    "true,  false, 16384, false",
    "false, true,  ,      true",
    "true,  true,  16384, true"
  })
  void backlogAndBroadcastQueue(
      boolean backlog, boolean broadcastQueue, String maxBacklog, boolean bcQueueLen) {
    List<Finding> findings = new java.util.ArrayList<>();
    if (backlog) {
      findings.add(f(Cause.BACKLOG_FULL, "drops", 0, 5));
    }
    if (broadcastQueue) {
      findings.add(f(Cause.BROADCAST_QUEUE_FULL, "bc_queue drops", 0, 2653));
    }
    Recommendation r = Recommender.recommend(findings, ctx(Map.of())).get(0);
    assertThat(r.id()).isEqualTo("netdev-backlog");
    assertThat(r.sysctl().get("net.core.netdev_max_backlog")).isEqualTo(maxBacklog);
    assertThat(r.actions().stream().anyMatch(a -> a.contains("bcqueuelen 10,000")))
        .isEqualTo(bcQueueLen);
  }

  @ParameterizedTest(name = "netdev_budget {0} in force → recommend {1}")
  @DisplayName("time squeeze doubles the NET_RX budget the node has (at least 600)")
  @CsvSource({"-1, 600", "300, 600", "600, 1200", "5000, 10000"})
  void budgetIsSizedFromTheBudgetInForce(double inForce, String recommended) {
    Map<String, Double> m =
        inForce < 0 ? Map.of() : Map.of(PacketCpuProbe.NETDEV_BUDGET.name(), inForce);
    Recommendation r =
        Recommender.recommend(List.of(f(Cause.BUDGET_EXHAUSTED, "squeeze", 0, 9)), ctx(m)).get(0);
    assertThat(r.sysctl()).containsEntry("net.core.netdev_budget", recommended);
  }

  @ParameterizedTest(name = "{0} → {1}")
  @DisplayName("lost addresses are answered by their cause, not by their message")
  @CsvSource({
    "DAD_FAILED, 'Let IPAM, not DAD, guarantee unique pod addresses'",
    "STILL_TENTATIVE, 'Let IPAM, not DAD, guarantee unique pod addresses'",
    "ADDRESS_NOT_CONFIGURED, Find where pod addresses go missing",
    "NO_ROUTE, Restore the routes to pod addresses",
    "NEIGHBOUR_UNANSWERED, Stop the drops on the path of the lost addresses",
    "LOSS_UNEXPLAINED, Find out why pod addresses stop answering",
  })
  void ipLossByCause(Cause cause, String title) {
    // the message says nothing of the cause: only the typed cause can steer the rule
    List<Recommendation> r =
        Recommender.recommend(List.of(f(cause, "5 of 600 addresses lost", 0, 0)), ctx(Map.of()));
    assertThat(r).singleElement().extracting(Recommendation::title).isEqualTo(title);
  }

  @Test
  @DisplayName("addresses the neighbour table refused need no recommendation of their own")
  void refusedAddressesFollowTheTable() {
    assertThat(
            Recommender.recommend(
                List.of(f(Cause.NEIGHBOUR_REFUSED, "5 of 600 addresses lost", 0, 0)),
                ctx(Map.of())))
        .isEmpty();
  }

  @Test
  @DisplayName("the generated profile loads, validates and extends the profile of the run")
  void generatedProfileIsValid() throws Exception {
    List<Recommendation> r =
        Recommender.recommend(
            List.of(
                f(Cause.NEIGHBOUR_TABLE_FULL, "full", 1, 2),
                f(Cause.STILL_TENTATIVE, "1 of 2 addresses still tentative", 0, 0)),
            new Recommender.Context(200, 6, 70, 420, Map.of(), 2, 3));
    Path p = dir.resolve("rec.yaml");
    Files.writeString(
        p, RecommendedProfile.yaml(r, "recommended-abc", "kernel-defaults", "run \"abc\": x"));
    Profile prof = new ProfileLoader(List.of()).load(p.toString());
    assertThat(prof.parents()).containsExactly("kernel-defaults");
    // 200 × 6 × 3 = 3,600 entries; × 1.5 = 5,400 → 8,192
    assertThat(prof.sysctl().get("net.ipv6.neigh.default.gc_thresh3").value()).isEqualTo("8192");
    assertThat(prof.podSysctl().get("net.ipv6.conf.default.accept_dad").value()).isEqualTo("0");
    assertThat(prof.description())
        .isEqualTo("Settings recommended from the findings of run \"abc\": x");
  }
}
