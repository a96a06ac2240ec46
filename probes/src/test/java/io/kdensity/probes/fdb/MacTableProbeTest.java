package io.kdensity.probes.fdb;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.Capacities;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.shell.FixtureShell;
import io.micrometer.core.instrument.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MacTableProbeTest {
  private final MacTableProbe probe = new MacTableProbe(MacTableProbe.Thresholds.DEFAULT);

  @Test
  @DisplayName(
      "a bridge with 1,023 ports is full; learned MACs beyond the declared switch table overflow it")
  void bridgePortLimitAndFdbCapacity() {
    FixtureShell node =
        new FixtureShell("node").command("ip -j -d -s link", load("link/node-small.json"));
    FixtureShell fabric =
        new FixtureShell("fabric")
            .command("ip -j -d -s link", load("link/node-1200-veth.json"))
            .command("bridge -j fdb show", load("fdb/bridge-1200-ports.json"));
    ProbeScope scope =
        ProbeScope.builder(node, node)
            .l2Domains(List.of(fabric))
            .capacities(new Capacities(1000, 128, 1023, Capacities.UnicastFilter.DECLARED))
            .build();
    ProbeContext ctx = new ProbeContext(scope, Runnable::run, Clock.SYSTEM);
    MacTableProbe.Snapshot s = probe.snapshot(ctx);
    assertThat(s.bridges())
        .extracting(
            MacTableProbe.Bridge::name, MacTableProbe.Bridge::ports, MacTableProbe.Bridge::learned)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("brA", 1023, 1023),
            org.assertj.core.groups.Tuple.tuple("brB", 177, 177));

    ProbeResult r =
        probe.evaluate(new MacTableProbe.Snapshot(List.of(), List.of(), Map.of()), s, ctx);

    assertThat(r.findings())
        .extracting(Finding::code, Finding::severity, Finding::subject)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                FindingCode.FDB_OVER_CAPACITY, Severity.CRITICAL, "bridge brA (fixture fabric)"),
            org.assertj.core.groups.Tuple.tuple(
                FindingCode.BRIDGE_PORT_LIMIT, Severity.CRITICAL, "bridge brA (fixture fabric)"));
    assertThat(r.metrics())
        .containsEntry("l2.fdb.learned", 1200.0)
        .containsEntry("l2.bridge.max_ports", 1023.0);
    Finding ports =
        r.findings().stream()
            .filter(f -> f.code() == FindingCode.BRIDGE_PORT_LIMIT)
            .findFirst()
            .orElseThrow();
    assertThat(ports.message())
        .isEqualTo(
            "bridge is full: 1,023 of 1,023 ports; the next port fails with 'Exchange full'");
    assertThat(ports.evidence().get(0).after()).isEqualTo(1023L);
  }

  /**
   * The evaluation of an uplink going from no MACs to {@code children} MACs with {@code
   * promiscuity}, against a filter of 2 slots of the given kind.
   */
  private ProbeResult uplink(Capacities.UnicastFilter kind, int children, int promiscuity) {
    FixtureShell node = new FixtureShell("node");
    ProbeScope scope =
        ProbeScope.builder(node, node).capacities(new Capacities(8192, 2, 1023, kind)).build();
    ProbeContext ctx = new ProbeContext(scope, Runnable::run, Clock.SYSTEM);
    return probe.evaluate(
        new MacTableProbe.Snapshot(
            List.of(), List.of(new MacTableProbe.Uplink("up0", "macvlan", 0, 0)), Map.of()),
        new MacTableProbe.Snapshot(
            List.of(),
            List.of(new MacTableProbe.Uplink("up0", "macvlan", children, promiscuity)),
            Map.of()),
        ctx);
  }

  @ParameterizedTest(name = "{0} filter, {1} MACs, promiscuity {2}: finding {3}")
  @CsvSource(
      textBlock =
          """
          DECLARED, 3, 1, true,  0
          DECLARED, 3, 0, true,  0
          DECLARED, 2, 1, false, 0
          OBSERVED, 1, 1, true,  0
          OBSERVED, 3, 0, false, 1
          OBSERVED, 2, 0, false, 0
          OBSERVED, 0, 1, false, 0
          """)
  @DisplayName(
      "emulated uplinks fall back beyond the declared filter; a real NIC when it runs promiscuous with MACs, and beyond the declaration without promiscuity the step notes what it cannot see")
  void promiscuousFallbackByFilterKind(
      Capacities.UnicastFilter kind, int children, int promiscuity, boolean finding, int notes) {
    ProbeResult r = uplink(kind, children, promiscuity);
    assertThat(r.findings())
        .extracting(Finding::code)
        .isEqualTo(finding ? List.of(FindingCode.NIC_PROMISC_FALLBACK) : List.of());
    assertThat(r.notes()).hasSize(notes);
    assertThat(r.metrics())
        .containsEntry("l2.uplinks.max_children", (double) children)
        // the declared slots, which the capacity model compares the children with
        .containsEntry("l2.uplinks.unicast_filter", 2.0);
  }

  @ParameterizedTest(name = "{0} uplink, {1} children, rx_dropped {2} → {3}: {4}")
  @CsvSource(
      textBlock =
          """
          DECLARED, macvlan, 40, 0,    0,    ,
          DECLARED, macvlan, 40, 7,    2660, CRITICAL, the macvlan broadcast queue (bc_queue: 1,000 frames unless a child's bcqueuelen asks for more) was full
          DECLARED, ipvlan,  40, 0,    12,   CRITICAL, the ipvlan multicast backlog (1,000 frames, fixed) was full
          OBSERVED, macvlan, 40, 100,  130,  WARNING,  on a NIC rx_dropped also counts the driver's own drops
          OBSERVED, macvlan, 40, 9000, 30,   WARNING,  30 broadcast/multicast frames dropped
          """)
  @DisplayName(
      "an uplink whose rx_dropped rose lost frames in its children's broadcast queue: critical on an emulated uplink, a warning on a NIC, whose driver counts there too; a counter that went back counts from zero")
  void broadcastQueue(
      Capacities.UnicastFilter kind,
      String children,
      int count,
      long before,
      long after,
      Severity severity,
      String message) {
    FixtureShell node = new FixtureShell("node");
    ProbeScope scope =
        ProbeScope.builder(node, node).capacities(new Capacities(8192, 128, 1023, kind)).build();
    ProbeContext ctx = new ProbeContext(scope, Runnable::run, Clock.SYSTEM);
    ProbeResult r =
        probe.evaluate(
            new MacTableProbe.Snapshot(List.of(), List.of(), Map.of("up0", before, "lo", 0L)),
            new MacTableProbe.Snapshot(
                List.of(),
                List.of(new MacTableProbe.Uplink("up0", children, count, 1)),
                Map.of("up0", after)),
            ctx);
    long lost = after >= before ? after - before : after;
    assertThat(r.metrics()).containsEntry("l2.uplinks.rx_dropped", (double) lost);
    List<Finding> queue =
        r.findings().stream().filter(f -> f.cause() == Cause.BROADCAST_QUEUE_FULL).toList();
    if (severity == null) {
      assertThat(queue).isEmpty();
      return;
    }
    assertThat(queue)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(FindingCode.SOFTNET_DROPS);
              assertThat(f.severity()).isEqualTo(severity);
              assertThat(f.subject()).isEqualTo("uplink up0");
              assertThat(f.message()).contains(message, "40 " + children + " children");
              assertThat(f.evidence().get(0).delta()).isEqualTo(lost);
            });
  }

  @Test
  @DisplayName(
      "on emulated uplinks the finding says the filter is declared, with the promiscuity as evidence")
  void promiscuousFallback() {
    FixtureShell node =
        new FixtureShell("node").command("ip -j -d -s link", load("link/node-small.json"));
    List<PodView> pods = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      pods.add(
          new PodView(
              "p" + i,
              new FixtureShell("p" + i),
              List.of(new PodInterface("net1", "a", "macvlan", "up0", List.of()))));
    }
    ProbeScope scope =
        ProbeScope.builder(node, node)
            .pods(pods)
            .capacities(new Capacities(8192, 2, 1023, Capacities.UnicastFilter.DECLARED))
            .build();
    ProbeContext ctx = new ProbeContext(scope, Runnable::run, Clock.SYSTEM);
    MacTableProbe.Snapshot s = probe.snapshot(ctx);
    assertThat(s.uplinks()).containsExactly(new MacTableProbe.Uplink("up0", "macvlan", 3, 1));
    ProbeResult r =
        probe.evaluate(
            new MacTableProbe.Snapshot(
                List.of(), List.of(new MacTableProbe.Uplink("up0", "macvlan", 0, 0)), Map.of()),
            s,
            ctx);
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(FindingCode.NIC_PROMISC_FALLBACK);
              assertThat(f.subject()).isEqualTo("uplink up0");
              assertThat(f.message())
                  .isEqualTo(
                      "3 macvlan/ipvlan MACs exceed the 2 unicast filter slots declared for the emulated NIC: a real NIC with that filter runs promiscuous and its CPU sees every frame (the emulated veth has no filter and is promiscuous from its first MAC)");
              assertThat(f.evidence().get(1).before()).isZero();
              assertThat(f.evidence().get(1).after()).isEqualTo(1L);
            });
    assertThat(r.metrics())
        .containsEntry("l2.uplinks.promiscuous", 1.0)
        .containsEntry("l2.uplinks.max_children", 3.0);
  }

  @Test
  @DisplayName("one macvlan on an emulated uplink with 128 declared slots is no fallback")
  void childrenWithinTheFilterAreFine() {
    FixtureShell node =
        new FixtureShell("node").command("ip -j -d -s link", load("link/node-small.json"));
    List<PodView> pods =
        List.of(
            new PodView(
                "p",
                new FixtureShell("p"),
                List.of(new PodInterface("net1", "a", "macvlan", "up0", List.of()))));
    // the fixture's uplink is a veth, promiscuous from its first macvlan: an emulated one
    ProbeScope scope =
        ProbeScope.builder(node, node)
            .pods(pods)
            .capacities(new Capacities(8192, 128, 1023, Capacities.UnicastFilter.DECLARED))
            .build();
    ProbeContext ctx = new ProbeContext(scope, Runnable::run, Clock.SYSTEM);
    MacTableProbe.Snapshot s = probe.snapshot(ctx);
    assertThat(probe.evaluate(s, s, ctx).findings()).isEmpty();
  }
}
