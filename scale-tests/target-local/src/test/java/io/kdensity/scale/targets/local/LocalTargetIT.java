package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.config.run.CniPlugin;
import io.kdensity.config.run.IpamPlugin;
import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.StepProbes;
import io.kdensity.probes.probe.Sweep;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.reports.model.Latency;
import io.kdensity.scale.engine.Settle;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.TrafficResult;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("kernel")
class LocalTargetIT {
  private final Settle settle = new Settle(IpLossProbe.Thresholds.DEFAULT, Clock.SYSTEM);

  private final LocalShell host = new LocalShell();
  private final LocalNames names = LocalNames.random();

  @AfterEach
  void noLeftovers() {
    new LocalCleanup(host).removeRun(names.runId());
    assertThat(new LocalCleanup(host).listNamespaces())
        .noneMatch(n -> n.startsWith(names.prefix()));
  }

  @Test
  @DisplayName(
      "churn re-creates a seeded random choice of pods in new sandboxes, keeps their order and fixed addresses, and every address answers again")
  void churnReplacesARandomChoice() {
    Plan plan = PlanLoader.load(Path.of("plans/smoke.yaml"));
    try (LocalTarget t = new LocalTarget(plan, names, host, NodeFacts.UNKNOWN, Clock.SYSTEM)) {
      t.preflight();
      t.setUp();
      t.scaleTo(6);
      java.util.Set<String> churned = new java.util.TreeSet<>();
      for (long seed : new long[] {1, 2}) {
        java.util.Map<String, Object> before = eth0Macs(t);
        ScaleResult r = t.churn(2, seed);
        assertThat(r.findings()).isEmpty();
        assertThat(r.pods()).isEqualTo(6);
        assertThat(r.readyMicros().getTotalCount()).isEqualTo(2);
        java.util.Map<String, Object> after = eth0Macs(t);
        // the same pods, in the same (index) order; exactly two of them in new sandboxes
        assertThat(after.keySet()).containsExactlyElementsOf(before.keySet());
        List<String> renewed =
            after.keySet().stream().filter(n -> !after.get(n).equals(before.get(n))).toList();
        assertThat(renewed).as("seed " + seed).hasSize(2);
        churned.addAll(renewed);
      }
      // a random choice, not the newest pods every time
      assertThat(churned)
          .hasSizeGreaterThan(2)
          .isNotEqualTo(java.util.Set.of(names.pod(5), names.pod(6)));
      ProbeScope scope = t.scope();
      // sat-b's fixed ips follow the pod's index, churned or not
      for (int i = 0; i < 6; i++) {
        assertThat(scope.pods().get(i).interfaces().get(2).addresses())
            .containsExactly("fd00:10:2::" + (i + 2));
      }
      assertThat(settle.await(scope, Duration.ofSeconds(10)).settled()).isTrue();
      TrafficResult traffic = t.traffic(plan.traffic(), Duration.ofMillis(100));
      assertThat(traffic.reachability()).hasSize(18).doesNotContainValue(false);
    }
  }

  /**
   * Each pod's eth0 MAC address (by pod name, in the target's order): a re-created pod's veth gets
   * a new one. (A namespace's inode number is no witness: the kernel reuses freed ones.)
   */
  private static java.util.Map<String, Object> eth0Macs(LocalTarget t) {
    java.util.Map<String, Object> out = new java.util.LinkedHashMap<>();
    for (var p : t.scope().pods()) {
      String json =
          p.shell()
              .run(io.kdensity.probes.shell.Command.of("ip", "-j", "link", "show", "dev", "eth0"))
              .requireSuccess()
              .stdout();
      out.put(
          p.name(),
          io.kdensity.probes.link.IpLinkParser.parse(json, "ip -j link in " + p.name())
              .get(0)
              .address());
    }
    return out;
  }

  @Test
  @DisplayName(
      "ramps pods with real CNI plugins, probes them, scales down and leaves nothing behind")
  void rampProbeShrinkClose() {
    Plan plan = PlanLoader.load(Path.of("plans/smoke.yaml"));
    try (LocalTarget t = new LocalTarget(plan, names, host, NodeFacts.UNKNOWN, Clock.SYSTEM);
        ProbeRunner probes =
            new ProbeRunner(
                DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT), Clock.SYSTEM, 8)) {
      t.preflight();
      t.setUp();
      ScaleResult up = t.scaleTo(4);
      assertThat(up.findings()).isEmpty();
      assertThat(up.pods()).isEqualTo(4);
      assertThat(up.interfaces()).isEqualTo(12);
      assertThat(up.attachMicros().getTotalCount()).isEqualTo(12);
      assertThat(up.readyMicros().getTotalCount()).isEqualTo(4);
      // each ADD's IPAM plugin was timed inside it: eth0's (ptp) and sat-a's host-local, sat-b's
      // static, one run an interface
      Map<IpamPlugin, Latency> ipam = up.stages().ipams();
      assertThat(ipam).containsOnlyKeys(IpamPlugin.HOST_LOCAL, IpamPlugin.STATIC);
      assertThat(ipam.get(IpamPlugin.HOST_LOCAL).count()).isEqualTo(8);
      assertThat(ipam.get(IpamPlugin.STATIC).count()).isEqualTo(4);
      Map<CniPlugin, Latency> adds = up.stages().adds();
      double longestAdd =
          Math.max(adds.get(CniPlugin.PTP).max(), adds.get(CniPlugin.MACVLAN).max());
      assertThat(ipam.get(IpamPlugin.HOST_LOCAL).max()).isPositive().isLessThan(longestAdd);
      assertThat(ipam.get(IpamPlugin.STATIC).max()).isPositive().isLessThan(longestAdd);
      ProbeScope scope = t.scope();
      assertThat(scope.pods()).hasSize(4);
      PodInterface net2 = scope.pods().get(0).interfaces().get(2);
      assertThat(net2.ifname()).isEqualTo("net2");
      assertThat(net2.kind()).isEqualTo("macvlan");
      assertThat(net2.master()).isEqualTo(names.uplink(1));
      // sat-b has fixed ips: pod 1 gets the subnet's second host, pod 4 the fifth
      assertThat(net2.addresses()).containsExactly("fd00:10:2::2");
      assertThat(scope.pods().get(3).interfaces().get(2).addresses())
          .containsExactly("fd00:10:2::5");
      assertThat(scope.pods().get(0).interfaces().get(1).addresses())
          .singleElement()
          .asString()
          .startsWith("fd00:10:1::");

      // as the engine does: fixed ips without a gateway are not waited for by the plugin
      assertThat(settle.await(scope, Duration.ofSeconds(10)).settled()).isTrue();
      // the DAD stages end after the change returned: the AddressWatch heard them, and records
      // them once the engine's settle is over
      up.stages().settled();
      long v6 =
          scope.pods().stream()
              .flatMap(p -> p.interfaces().stream())
              .flatMap(i -> i.addresses().stream())
              .filter(a -> a.contains(":"))
              .count();
      Latency dad = up.stages().dad();
      Latency usable = up.stages().usableAfterAttach();
      assertThat(dad.count()).as("addresses heard through DAD").isEqualTo(v6);
      assertThat(usable.count()).isEqualTo(v6);
      // one neighbour solicitation, then RetransTimer (1 s) without a defence: never shorter
      assertThat(dad.p50()).isGreaterThan(900);
      // eth0 and sat-a wait for DAD in their ADD (their IPAM results carry a gateway: host-local
      // claims its range's first address); sat-b's static addresses carry none, so its ADD returns
      // before DAD ends and the address is usable only after
      assertThat(usable.p50()).isLessThan(100);
      assertThat(usable.max()).isGreaterThan(500);
      Sweep before = probes.snapshot(scope);
      TrafficResult traffic = t.traffic(plan.traffic(), Duration.ofMillis(100));
      assertThat(traffic.reachability()).hasSize(12).containsValue(true).doesNotContainValue(false);
      // the step's first sweep timed each new address's first answer and, from the kernel's
      // notices, its gateway's first resolution of it (node: eth0; fabric: sat-a, sat-b)
      Latency firstAnswer = up.stages().firstAnswer();
      Latency resolution = up.stages().neighbourResolution();
      assertThat(firstAnswer.count()).isEqualTo(12);
      assertThat(resolution.count()).as("resolutions heard").isEqualTo(12);
      // no request lost on a 4-pod node: no retry's 500 ms timeout in the wait
      assertThat(firstAnswer.max()).isLessThan(250);
      assertThat(resolution.max()).isLessThanOrEqualTo(firstAnswer.max());
      // later traffic is not a first answer
      t.traffic(plan.traffic(), Duration.ZERO);
      assertThat(up.stages().firstAnswer().count()).isEqualTo(12);
      ProbeScope after = scope.withReachability(traffic.reachability());
      StepProbes step = probes.evaluate(before, probes.snapshot(after), after);
      assertThat(step.errors()).isEmpty();
      assertThat(step.metrics())
          .containsEntry("ip.expected", 12.0)
          .containsEntry("ip.present", 12.0)
          .containsEntry("ip.lost", 0.0)
          .containsEntry("l2.uplinks.max_children", 4.0)
          .containsEntry("l2.uplinks.promiscuous", 2.0);
      assertThat(step.metrics().get("l2.fdb.learned")).isGreaterThanOrEqualTo(8.0);

      ScaleResult down = t.scaleTo(1);
      assertThat(down.pods()).isEqualTo(1);
      assertThat(down.interfaces()).isEqualTo(3);
      assertThat(new LocalCleanup(host).listNamespaces())
          .filteredOn(n -> n.startsWith(names.prefix() + "p"))
          .hasSize(1);
    }
    assertThat(new LocalCleanup(host).listNamespaces())
        .noneMatch(n -> n.startsWith(names.prefix()));
  }

  @Test
  @DisplayName(
      "a crashed run's namespace on the node fails preflight, naming the run and the cleanup command, before anything is created")
  void otherRunsLeftoversFailPreflight() {
    LocalNames crashed = LocalNames.random();
    Plan plan = PlanLoader.load(Path.of("plans/smoke.yaml"));
    assertThat(
            host.run(io.kdensity.probes.shell.Command.of("ip", "netns", "add", crashed.node()))
                .ok())
        .isTrue();
    try (LocalTarget t = new LocalTarget(plan, names, host, NodeFacts.UNKNOWN, Clock.SYSTEM)) {
      assertThatThrownBy(t::preflight)
          .isInstanceOf(io.kdensity.scale.targets.PreflightException.class)
          .hasMessageContaining("kdensity run(s) " + crashed.runId() + " ")
          .hasMessageContaining("`kdensity cleanup`");
      assertThat(new LocalCleanup(host).listNamespaces())
          .noneMatch(n -> n.startsWith(names.prefix()));
    } finally {
      new LocalCleanup(host).removeRun(crashed.runId());
    }
  }

  @Test
  @DisplayName(
      "the newest pod answers once settled, also when its own addresses skip DAD: settle waits for the node side of its routed veth")
  void newestPodIsReachableOnceItsHostSideSettled() {
    Plan plan = PlanLoader.load(Path.of("plans/smoke.yaml"));
    try (LocalTarget t = new LocalTarget(plan, names, host, NodeFacts.UNKNOWN, Clock.SYSTEM)) {
      t.setUp();
      // like the dense-ipv6 profile: the pods' addresses are usable at once, so only the node
      // side of each new ptp veth (link-local and gateway address, DAD on) can still be tentative
      t.setPodSysctls(
          java.util.Map.of(
              "net.ipv6.conf.all.accept_dad", "0", "net.ipv6.conf.default.accept_dad", "0"));
      for (int pods = 1; pods <= 3; pods++) {
        t.scaleTo(pods);
        Settle.Result settled = settle.await(t.scope(), Duration.ofSeconds(10));
        assertThat(settled.settled()).as("settled: %s", settled.tentative()).isTrue();
        TrafficResult traffic = t.traffic(plan.traffic(), Duration.ZERO);
        assertThat(traffic.reachability())
            .as("reachability with %d pods", pods)
            .hasSize(3 * pods)
            .doesNotContainValue(false);
      }
    }
  }

  @Test
  @DisplayName(
      "peers: 2 — each pod pings its next two pods on every attachment network from its own namespace: all answer, and each pod holds entries for the peers it pinged and the ones that pinged it")
  void peersAreNeighboursOnBothSides() {
    Plan plan =
        PlanLoader.parse(
            readSmoke().replace("hold: 1s", "hold: 1s\ntraffic:\n  peers: 2"), "peers.yaml");
    assertThat(plan.traffic().peers()).isEqualTo(2);
    try (LocalTarget t = new LocalTarget(plan, names, host, NodeFacts.UNKNOWN, Clock.SYSTEM)) {
      t.setUp();
      t.scaleTo(4);
      assertThat(settle.await(t.scope(), Duration.ofSeconds(10)).settled()).isTrue();
      java.util.List<io.kdensity.probes.probe.PodView> pods = t.scope().pods();
      String first = pods.get(0).name();
      java.util.List<String> others =
          pods.subList(1, 4).stream().map(p -> p.interfaces().get(1).addresses().get(0)).toList();
      assertThat(others).allMatch(a -> a.startsWith("fd00:10:1::"));
      assertThat(net1Neighbours(first))
          .as("before any traffic")
          .doesNotContainAnyElementsOf(others);
      TrafficResult traffic = t.traffic(plan.traffic(), Duration.ZERO);
      assertThat(traffic.reachability()).hasSize(3 * 4).doesNotContainValue(false);
      // pod 1 pinged pods 2 and 3; pods 3 and 4 pinged pod 1 (their peers wrap around to it)
      assertThat(net1Neighbours(first)).containsAll(others);
    }
  }

  /** The global addresses pod namespace {@code ns} has neighbour entries for on net1. */
  private java.util.List<String> net1Neighbours(String ns) {
    String out =
        host.run(
                io.kdensity.probes.shell.Command.of(
                    "ip", "-n", ns, "-6", "neigh", "show", "dev", "net1"))
            .requireSuccess()
            .stdout();
    return out.lines().map(l -> l.split(" ")[0]).filter(a -> a.startsWith("fd00:")).toList();
  }

  private static String readSmoke() {
    try {
      return java.nio.file.Files.readString(Path.of("plans/smoke.yaml"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  @DisplayName(
      "UDP load into small receive buffers moves softnet and socket-buffer counters; macvlan MACs beyond the NIC filter are a promiscuous fallback")
  void udpLoadAndPromiscuousFallback() throws Exception {
    String yaml =
        java.nio.file.Files.readString(Path.of("plans/smoke.yaml"))
            .replace(
                "    attachConcurrency: 4", "    attachConcurrency: 4\n    nicUnicastFilter: 2")
            .replace(
                "hold: 1s",
                "hold: 2s\ntraffic:\n  udp: {enabled: true, pods: 2, rate: 20000, payload: 1200, rcvbuf: 4096}");
    Plan plan = PlanLoader.parse(yaml, "udp.yaml");
    try (LocalTarget t = new LocalTarget(plan, names, host, NodeFacts.UNKNOWN, Clock.SYSTEM);
        ProbeRunner probes =
            new ProbeRunner(
                DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT), Clock.SYSTEM, 8)) {
      t.setUp();
      t.scaleTo(4);
      ProbeScope scope = t.scope();
      assertThat(scope.socketNamespaces()).hasSize(4);
      Sweep before = probes.snapshot(scope);
      TrafficResult traffic = t.traffic(plan.traffic(), Duration.ofSeconds(2));
      // every datagram is accounted for: sent, or a failed send (never both, never lost)
      assertThat(traffic.udp().sent() + traffic.udp().failed()).isEqualTo(40_000);
      assertThat(traffic.udp().sent()).isPositive();
      ProbeScope after = scope.withReachability(traffic.reachability());
      StepProbes step = probes.evaluate(before, probes.snapshot(after), after);
      assertThat(step.errors()).isEmpty();
      assertThat(step.metrics().get("sock.udp6.RcvbufErrors")).isPositive();
      // what the sender counts as sent, the sinks' kernel counted (its counters, not the sender's):
      // dropped on a full buffer (InErrors), read (InDatagrams: the sinks never read), or still
      // queued in the two 8 KiB buffers (a handful of 1,200-byte datagrams each)
      double arrived =
          step.metrics().get("sock.udp6.InDatagrams") + step.metrics().get("sock.udp6.InErrors");
      assertThat(step.metrics().get("sock.udp6.InDatagrams")).isZero();
      assertThat(traffic.udp().sent() - arrived).isBetween(0.0, 2 * 8.0);
      assertThat(step.metrics().get("softnet.processed")).isGreaterThan(1000.0);
      assertThat(step.findings())
          .extracting(f -> f.code())
          .contains(
              io.kdensity.probes.finding.FindingCode.SOCKET_RCVBUF_ERRORS,
              io.kdensity.probes.finding.FindingCode.NIC_PROMISC_FALLBACK);
    }
  }
}
