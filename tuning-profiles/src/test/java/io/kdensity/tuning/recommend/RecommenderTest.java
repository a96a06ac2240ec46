package io.kdensity.tuning.recommend;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.finding.Severity;
import io.kdensity.tuning.profile.Profile;
import io.kdensity.tuning.profile.ProfileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecommenderTest {
  @TempDir Path dir;

  static Finding f(FindingCode c, String msg, long before, long after) {
    return new Finding(
        c, Severity.CRITICAL, "node", msg, List.of(Evidence.counter("counter", before, after)), 4);
  }

  @Test
  @DisplayName(
      "neighbour overflow is sized from pods × interfaces × measured entries per interface, 1.5× headroom, power of two")
  void neighbourSizing() {
    List<Recommendation> r =
        Recommender.recommend(
            List.of(
                f(FindingCode.NEIGH_TABLE_OVERFLOW, "table full", 100, 210),
                f(FindingCode.IP_LOSS, "2 of 420 addresses did not answer their gateway", 0, 0)),
            new Recommender.Context(
                2000, 6, 70, 420, Map.of("neigh.v6.gc_thresh3", 1024.0), 2, 2.5));
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
  void everyCodeMapsToAConcreteChange() {
    List<Recommendation> r =
        Recommender.recommend(
            List.of(
                f(FindingCode.BRIDGE_PORT_LIMIT, "7 attaches failed: exchange full", 0, 0),
                f(FindingCode.SOFTNET_DROPS, "drops", 0, 5),
                f(FindingCode.SOFTNET_TIME_SQUEEZE, "squeeze", 0, 9),
                f(FindingCode.SOCKET_RCVBUF_ERRORS, "rcvbuf", 0, 4321),
                f(FindingCode.IP_LOSS, "3 of 9 addresses failed duplicate address detection", 0, 0),
                f(FindingCode.NIC_PROMISC_FALLBACK, "promisc", 0, 1)),
            new Recommender.Context(
                2000, 6, 0, 0, Map.of("softirq.cycles_per_packet", 5200.0), 2, 0));
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

  @Test
  @DisplayName("the generated profile loads, validates and extends the profile of the run")
  void generatedProfileIsValid() throws Exception {
    List<Recommendation> r =
        Recommender.recommend(
            List.of(
                f(FindingCode.NEIGH_TABLE_OVERFLOW, "full", 1, 2),
                f(FindingCode.IP_LOSS, "1 of 2 addresses still tentative after 5 s", 0, 0)),
            new Recommender.Context(200, 6, 70, 420, Map.of(), 2, 3));
    Path p = dir.resolve("rec.yaml");
    Files.writeString(
        p, Recommender.profileYaml(r, "recommended-abc", "kernel-defaults", "run abc"));
    Profile prof = new ProfileLoader(List.of()).load(p.toString());
    assertThat(prof.parents()).containsExactly("kernel-defaults");
    // 200 × 6 × 3 = 3,600 entries; × 1.5 = 5,400 → 8,192
    assertThat(prof.sysctl().get("net.ipv6.neigh.default.gc_thresh3").value()).isEqualTo("8192");
    assertThat(prof.podSysctl().get("net.ipv6.conf.default.accept_dad").value()).isEqualTo("0");
  }
}
