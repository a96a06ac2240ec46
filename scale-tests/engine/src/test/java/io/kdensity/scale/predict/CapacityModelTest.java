package io.kdensity.scale.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.Prediction.CalibrationPoint;
import io.kdensity.reports.model.Prediction.Headroom;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CapacityModelTest {

  private static final String PLAN =
      """
      name: model
      attachments:
        - name: sat-a
          config: '{"type": "macvlan", "master": "uplink0", "ipam": {"type": "host-local", "ranges": [[{"subnet": "fd00:10:1::/64"}]]}}'
      interfacesPerPod: 1
      ramp: {start: 20, step: 20, max: 200}
      traffic:
        reachability: true
        udp: {enabled: true, pattern: incast, pods: 1, perPod: 2, payload: 256, rcvbuf: 0, readRate: 500, readBurst: 1}
      slos:
        - {finding: NEIGH_TABLE_OVERFLOW, max: 0}
        - {finding: SOFTNET_DROPS, max: 0}
        - {finding: BRIDGE_PORT_LIMIT, max: 0}
        - {metric: attach.p99, max: 30s}
      """;

  private static final Plan MODEL = PlanLoader.parse(PLAN, "model.yaml");

  /**
   * Two calibration points from a table: a measure per row, its value at 20 and at 40 pods ("-":
   * not measured).
   */
  private static List<CalibrationPoint> points(String table) {
    Map<String, Long> at20 = new HashMap<>();
    Map<String, Long> at40 = new HashMap<>();
    for (String row : table.strip().split("\n")) {
      String[] c = row.strip().split("\\s+");
      String key = Measure.valueOf(c[0]).key();
      if (!c[1].equals("-")) {
        at20.put(key, Long.parseLong(c[1]));
      }
      if (!c[2].equals("-")) {
        at40.put(key, Long.parseLong(c[2]));
      }
    }
    return List.of(new CalibrationPoint(20, at20), new CalibrationPoint(40, at40));
  }

  /**
   * 7.3 pinned IPv6 entries a pod over a base of 154; the second step's bring-up was seen to pin
   * 200 more at its peak; no IPv4; a port a pod on a bridge; 5 MACs a pod; a sink takes 166 of a
   * burst of 400.
   */
  private static final List<CalibrationPoint> NODE =
      points(
          """
          V6_PINNED_STEADY      300   446
          V6_PINNED_PEAK        390   646
          V6_GC_THRESH3        1024  1024
          V4_PINNED_STEADY        0     0
          V4_PINNED_PEAK          0     0
          V4_GC_THRESH3        1024  1024
          BRIDGE_PORTS           20    40
          FDB_LEARNED           120   220
          FDB_CAPACITY         8192  8192
          UPLINK_MACS            20    40
          UNICAST_FILTER        128   128
          INCAST_SENT             -   400
          INCAST_RCVBUF_ERRORS    -   234
          INCAST_SINKS            -     1
          """);

  @Test
  @DisplayName("every limit's breaking point, first to break first")
  void limitsAsATable() {
    Prediction p = CapacityModel.predict(MODEL, NODE, 200);
    // code,                    size,  need at 200 (steady, in a step), breaks from, by
    assertThat(p.limits())
        .extracting(
            Headroom::code,
            Headroom::size,
            Headroom::steadyNeed,
            Headroom::peakNeed,
            Headroom::breaksFrom,
            Headroom::breaksBy)
        .containsExactly(
            // a sink takes 400 - 234 = 166 datagrams of a burst, each pod adds 2: 83 pods fit
            org.assertj.core.groups.Tuple.tuple(
                FindingCode.SOCKET_RCVBUF_ERRORS, 166L, 400L, 400L, 84, 84),
            // 154 + 7.3 p passes 1,024 above 119.2 pods; with the step's 200 above 91.8
            org.assertj.core.groups.Tuple.tuple(
                FindingCode.NEIGH_TABLE_OVERFLOW, 1024L, 1614L, 1814L, 92, 120),
            // one MAC a pod on the uplink: the 129th passes the NIC's 128 filter slots
            org.assertj.core.groups.Tuple.tuple(
                FindingCode.NIC_PROMISC_FALLBACK, 128L, 200L, 200L, 129, 129),
            // one port a pod: the 1,024th pod finds no port number
            org.assertj.core.groups.Tuple.tuple(
                FindingCode.BRIDGE_PORT_LIMIT, 1023L, 200L, 200L, 1024, 1024),
            // 20 + 5 MACs a pod passes 8,192 above 1,634.4 pods
            org.assertj.core.groups.Tuple.tuple(
                FindingCode.FDB_OVER_CAPACITY, 8192L, 1020L, 1020L, 1635, 1635));
    assertThat(p.firstToBreak()).map(Headroom::code).contains(FindingCode.SOCKET_RCVBUF_ERRORS);
    assertThat(p.limits().get(3).basis()).startsWith("1.0 ports a pod + 0 on the fullest bridge");
    assertThat(p.limits().get(4).basis()).startsWith("5.0 MACs learned a pod + 20 (");
    assertThat(CapacityModel.signed(-6.2)).isEqualTo("− 6");
    assertThat(p.limits().get(1).range()).isEqualTo("92–120 pods");
    assertThat(p.limits().get(1).basis())
        .contains(
            "7.3 pinned entries a pod + 154",
            "breaks for good at 120 pods",
            "at least one step's worth (200 entries",
            "saw 200 more than steady",
            "break from 92 pods",
            "gc_thresh3 1,024");
  }

  @Test
  @DisplayName(
      "a NIC's full unicast filter is a warning, never the first to break, unless an SLO counts it")
  void aFullUnicastFilterWarns() {
    List<CalibrationPoint> uplinks =
        points(
            """
            UPLINK_MACS      20    40
            UNICAST_FILTER  128   128
            """);
    Headroom warns = CapacityModel.predict(MODEL, uplinks, 200).limits().get(0);
    assertThat(warns.warning()).isTrue();
    assertThat(warns.range()).isEqualTo("129 pods");
    assertThat(warns.basis())
        .isEqualTo(
            "1.0 macvlan/ipvlan MACs a pod + 0 on the busiest uplink (20 at 20 pods, 40 at 40)"
                + " against 128 unicast filter slots declared for a NIC port (the plan's"
                + " nicUnicastFilter, or its default); past them the NIC runs promiscuous and its"
                + " CPU sees every frame on the wire: a warning, the node keeps working");
    assertThat(CapacityModel.predict(MODEL, uplinks, 200).firstToBreak()).isEmpty();
    // the SLO's severity decides: counting warnings makes the crossing a failure, critical not
    Map<String, Boolean> warningBySlo =
        Map.of(
            "{finding: NIC_PROMISC_FALLBACK, severity: warning, max: 0}", false,
            "{finding: NIC_PROMISC_FALLBACK, severity: info, max: 0}", false,
            "{finding: NIC_PROMISC_FALLBACK, max: 0}", true);
    warningBySlo.forEach(
        (slo, warning) -> {
          Plan plan =
              PlanLoader.parse(PLAN.replace("slos:\n", "slos:\n  - " + slo + "\n"), "model.yaml");
          Prediction p = CapacityModel.predict(plan, uplinks, 200);
          assertThat(p.limits().get(0).warning()).as(slo).isEqualTo(warning);
          assertThat(p.firstToBreak().isPresent()).as(slo).isEqualTo(!warning);
        });
    // no filter declared, or no uplink that grows: no limit
    assertThat(
            CapacityModel.predict(MODEL, points("UPLINK_MACS 20 40\nUNICAST_FILTER 0 0"), 200)
                .limits())
        .isEmpty();
    assertThat(
            CapacityModel.predict(MODEL, points("UPLINK_MACS 5 5\nUNICAST_FILTER 128 128"), 200)
                .limits())
        .isEmpty();
  }

  @Test
  @DisplayName(
      "the node namespace's conntrack entries grow to nf_conntrack_max: a limit, where they grow")
  void conntrackEntriesAgainstTheLimit() {
    Headroom ct =
        CapacityModel.predict(
                MODEL,
                points(
                    """
                    CONNTRACK_STEADY    44    84
                    CONNTRACK_MAX       150   150
                    """),
                200)
            .limits()
            .get(0);
    assertThat(ct.code()).isEqualTo(FindingCode.CONNTRACK_TABLE_FULL);
    // 2 entries a pod + 4: 150 is reached at 73 pods, passed at the 74th
    assertThat(ct.range()).isEqualTo("74 pods");
    assertThat(ct.steadyNeed()).isEqualTo(404);
    assertThat(ct.warning()).isFalse();
    assertThat(ct.basis())
        .startsWith(
            "2.0 entries a pod + 4 in the node's namespace after each steady hold (44 at 20 pods,"
                + " 84 at 40) against nf_conntrack_max 150");
    // a namespace without conntrack (no figures), without a limit (0), or with flat entries
    for (String none :
        List.of(
            "V6_GC_THRESH3 1024 1024",
            "CONNTRACK_STEADY 44 84\nCONNTRACK_MAX 0 0",
            "CONNTRACK_STEADY 12 12\nCONNTRACK_MAX 150 150")) {
      assertThat(CapacityModel.predict(MODEL, points(none), 200).limits()).as(none).isEmpty();
    }
  }

  @Test
  @DisplayName("a step's transient is at least one step's worth of the steady cost")
  void transientAtLeastOneStep() {
    List<CalibrationPoint> calm =
        points(
            """
            V6_PINNED_STEADY      300   446
            V6_PINNED_PEAK        310   460
            V6_GC_THRESH3        1024  1024
            """);
    Headroom h = CapacityModel.predict(MODEL, calm, 200).limits().get(0);
    // seen 14 above steady, but 20 new pods × 7.3 = 146: 154 + 146 + 7.3 p passes 1,024 above 99.2
    assertThat(h.breaksFrom()).isEqualTo(100);
    assertThat(h.breaksBy()).isEqualTo(120);
    assertThat(h.peakNeed()).isEqualTo(1614 + 146);
  }

  @Test
  @DisplayName("a family the pods pin nothing of, a bridge that does not grow: no limit")
  void unusedLimitsAreLeftOut() {
    Prediction p = CapacityModel.predict(MODEL, NODE, 200);
    assertThat(p.limits()).extracting(Headroom::limit).noneMatch(l -> l.startsWith("IPv4"));
    List<CalibrationPoint> flatBridge = points("BRIDGE_PORTS 5 5");
    Prediction q = CapacityModel.predict(MODEL, flatBridge, 200);
    assertThat(q.limits()).isEmpty();
    assertThat(q.unmodelled())
        .contains(
            "NEIGH_TABLE_OVERFLOW ≤ 0: the calibration's pods pinned no neighbour entries",
            "BRIDGE_PORT_LIMIT ≤ 0: no bridge gained ports with the calibration's pods",
            "attach.p99 ≤ 30000: latencies, rates and bring-up counters are not modelled");
    assertThat(q.firstToBreak()).isEmpty();
  }

  @Test
  @DisplayName("a burst the sink took whole: the buffer does not break up to the density asked")
  void aBurstTakenWholeBreaksNothing() {
    List<CalibrationPoint> roomy =
        points(
            """
            INCAST_SENT           -   400
            INCAST_RCVBUF_ERRORS  -     0
            INCAST_SINKS          -     1
            """);
    Headroom h = CapacityModel.predict(MODEL, roomy, 200).limits().get(0);
    assertThat(h.breaksFrom()).isNull();
    assertThat(h.range()).isEqualTo("never");
    assertThat(h.basis()).contains("all 400 datagrams");
  }

  @Test
  @DisplayName(
      "the node's memory: used per pod against MemTotal, the kernel's part given apart; no growth, no limit")
  void memory() {
    List<CalibrationPoint> node =
        points(
            """
            MEM_TOTAL_KB          24683664  24683664
            MEM_USED_STEADY_KB      900000    910000
            MEM_KERNEL_STEADY_KB     80000     86000
            """);
    Headroom h = CapacityModel.predict(MODEL, node, 2000).limits().get(0);
    // 500 kB a pod over 890,000 kB: passes 24,683,664 kB above 47,587.3 pods
    assertThat(h)
        .extracting(
            Headroom::code,
            Headroom::size,
            Headroom::steadyNeed,
            Headroom::breaksFrom,
            Headroom::breaksBy)
        .containsExactly(FindingCode.ATTACH_FAILED, 24105L, 1845L, 47588, 47588);
    assertThat(h.unit()).isEqualTo("MiB");
    assertThat(h.basis())
        .contains("500 kB a pod + 890,000 kB", "of it 300 kB a pod the kernel's own");
    List<CalibrationPoint> flat =
        points(
            """
            MEM_TOTAL_KB          24683664  24683664
            MEM_USED_STEADY_KB      910000    900000
            MEM_KERNEL_STEADY_KB     80000     86000
            """);
    assertThat(CapacityModel.predict(MODEL, flat, 2000).limits()).isEmpty();
  }

  @Test
  @DisplayName("a knee agrees when it is in the first limit's range, rounded up to its grid")
  void agreement() {
    Prediction p = CapacityModel.predict(MODEL, withoutIncast(), 200);
    assertThat(p.firstToBreak()).map(Headroom::range).contains("92–120 pods");
    // knee, grid: agrees
    assertThat(p.agrees(100, 10)).isTrue();
    assertThat(p.agrees(92, 10)).isTrue();
    assertThat(p.agrees(129, 10)).isTrue(); // 120 on a 10-pod grid can be found as up to 129
    assertThat(p.agrees(130, 10)).isFalse();
    assertThat(p.agrees(91, 10)).isFalse();
    assertThat(p.agrees(null, 10)).isFalse();
  }

  private static List<CalibrationPoint> withoutIncast() {
    Map<String, Long> second = new HashMap<>(NODE.get(1).measured());
    second.remove(Measure.INCAST_SENT.key());
    return List.of(NODE.get(0), new CalibrationPoint(40, second));
  }

  @Test
  @DisplayName(
      "fewer than two points at different counts: no measured limit, each SLO's finding says why")
  void withoutTwoPointsOnlyThePlansOwnLimits() {
    // points,                                           why the measured limits are missing
    Map<List<CalibrationPoint>, String> cases =
        Map.of(
            List.of(),
            "needs two calibration points (plain steps that passed), and the node failed its"
                + " first step",
            List.of(NODE.get(0)),
            "needs two calibration points (plain steps that passed), and the node failed before"
                + " a second one above 20 pods",
            List.of(NODE.get(0), new CalibrationPoint(20, NODE.get(1).measured())),
            "needs two calibration points (plain steps that passed), and the node failed before"
                + " a second one above 20 pods");
    cases.forEach(
        (points, why) -> {
          Prediction p = CapacityModel.predict(MODEL, points, 200);
          assertThat(p.calibrated()).isFalse();
          assertThat(p.limits()).isEmpty();
          assertThat(p.firstToBreak()).isEmpty();
          assertThat(p.unmodelled())
              .containsExactly(
                  "NEIGH_TABLE_OVERFLOW ≤ 0: " + why,
                  "SOFTNET_DROPS ≤ 0: not modelled: how many flood copies queue at once depends on"
                      + " which interfaces come up together; only a ramp measures it",
                  "BRIDGE_PORT_LIMIT ≤ 0: " + why,
                  "attach.p99 ≤ 30000: latencies, rates and bring-up counters are not modelled");
        });
  }

  @Test
  @DisplayName("the neighbour tables at another density: the same costs, the need and range moved")
  void neighbourTablesAtAnotherDensity() {
    Prediction at200 = CapacityModel.predict(MODEL, NODE, 200);
    Prediction at2000 = CapacityModel.neighbourTablesAt(at200, 2000);
    assertThat(at2000.pods()).isEqualTo(2000);
    // 154 + 7.3 × 2,000 = 14,754 once steady, 200 more in a step; breaks where it did
    assertThat(at2000.limits())
        .extracting(
            Headroom::code,
            Headroom::steadyNeed,
            Headroom::peakNeed,
            Headroom::breaksFrom,
            Headroom::breaksBy)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                FindingCode.NEIGH_TABLE_OVERFLOW, 14754L, 14954L, 92, 120));
    Prediction oneAt = CapacityModel.predict(MODEL, List.of(NODE.get(0)), 200);
    assertThat(CapacityModel.neighbourTablesAt(oneAt, 2000).limits()).isEmpty();
  }
}
