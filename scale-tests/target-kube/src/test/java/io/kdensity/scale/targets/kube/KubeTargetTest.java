package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.process.ProcessCpu;
import io.kdensity.probes.process.ProcessFootprint;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.engine.Progress;
import io.kdensity.scale.engine.RampSession;
import io.kdensity.scale.engine.Step;
import io.kdensity.scale.engine.StepMeters;
import io.kdensity.scale.metrics.NodeObject;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.plan.Soak;
import io.kdensity.scale.soak.SoakMonitor;
import io.kdensity.scale.soak.SoakPlanner;
import io.kdensity.scale.targets.PreflightException;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class KubeTargetTest {
  private FakeCluster cluster;
  private final ProbeRunner probes =
      new ProbeRunner(DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT), Clock.SYSTEM, 4);

  @AfterEach
  void close() {
    probes.close();
    if (cluster != null) {
      cluster.close();
    }
  }

  static Plan plan(String ramp) {
    return plan(ramp, "10s");
  }

  static Plan plan(String ramp, String readyTimeout) {
    return plan(
        ramp,
        readyTimeout,
        "{type: macvlan, master: ens1f0, ipam: {type: whereabouts, range: 'fd00:10:1::/64'}}");
  }

  /** The test plan with sat-a a bridge network: its pod interfaces are ports of br-sat. */
  static Plan bridgePlan(String ramp) {
    return plan(
        ramp,
        "10s",
        "{type: bridge, bridge: br-sat, ipam: {type: whereabouts, range: 'fd00:10:1::/64'}}");
  }

  private static Plan plan(String ramp, String readyTimeout, String satA) {
    return PlanLoader.parse(
        String.join(
            "\n",
            "name: kube-test",
            "target:",
            "  type: kube",
            "  node: worker-1",
            "  kube: {qps: 200, burst: 50, concurrency: 8, readyTimeout: " + readyTimeout + "}",
            "attachments:",
            "  - name: sat-a",
            "    config: " + satA,
            "  - name: sat-b",
            "    ips: ['fd00:10:2::/64']",
            "    config: {type: macvlan, master: ens1f1, capabilities: {ips: true}, ipam: {type: static}}",
            "interfacesPerPod: 2",
            "ramp: " + ramp,
            "settle: 0s",
            "hold: 0s",
            "bisect: {enabled: false}",
            ""),
        "kube-test.yaml");
  }

  /** The target of run abc123 on the fake cluster's node. */
  private KubeTarget target(Plan plan) {
    return new KubeTarget(
        plan, cluster.client, cluster.node(), "abc123", NodeFacts.UNKNOWN, Clock.SYSTEM);
  }

  private List<StepOutcome> ramp(KubeTarget t, Plan plan) {
    return ramp(t, plan, probes);
  }

  /** Every step of the plan on the target, as a run does them. */
  static List<StepOutcome> ramp(KubeTarget t, Plan plan, ProbeRunner probes) {
    RampSession s =
        new RampSession(
            plan,
            t,
            probes,
            Clock.SYSTEM,
            ProcessCpu.SELF,
            Progress.SILENT,
            new StepMeters(new SimpleMeterRegistry(), "kube", probes.registry()),
            new RampSession.RunInfo(t.runId(), "test", "kube", NodeFacts.UNKNOWN, ""),
            Optional.empty());
    List<StepOutcome> out = new ArrayList<>();
    for (Optional<Step> n = s.next(); n.isPresent(); n = s.next()) {
      out.add(s.execute(n.get()));
    }
    return out;
  }

  @Test
  @DisplayName(
      "a full small ramp: NADs, pods pinned with the networks annotation, latencies, IPs from network-status; nothing left after close")
  void fullSmallRamp() {
    cluster = new FakeCluster(2500, true).startKubelet();
    Plan plan = plan("{steps: [3, 6]}");
    List<StepOutcome> steps;
    try (KubeTarget t = target(plan)) {
      t.preflight();
      t.setUp();
      assertThat(
              cluster
                  .client
                  .genericKubernetesResources(KubeLabels.NAD)
                  .inNamespace("kdensity-abc123")
                  .list()
                  .getItems())
          .extracting(r -> r.getMetadata().getName())
          .containsExactlyInAnyOrder("sat-a", "sat-b");
      steps = ramp(t, plan);
      Pod p =
          cluster.client.pods().inNamespace("kdensity-abc123").withName("kd-abc123-p00001").get();
      assertThat(p.getMetadata().getAnnotations().get(KubeLabels.NETWORKS))
          .isEqualTo(
              "[{\"name\":\"sat-a\",\"interface\":\"net1\"},"
                  + "{\"name\":\"sat-b\",\"interface\":\"net2\",\"ips\":[\"fd00:10:2::2/64\"]}]");
      assertThat(
              cluster
                  .client
                  .pods()
                  .inNamespace("kdensity-abc123")
                  .withName("kd-abc123-p00006")
                  .get()
                  .getMetadata()
                  .getAnnotations()
                  .get(KubeLabels.NETWORKS))
          .contains("\"ips\":[\"fd00:10:2::7/64\"]");
      // pinned by the Node object's name, which the kubernetes.io/hostname label need not equal
      assertThat(FakeCluster.pinning(p))
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.getKey()).isEqualTo("metadata.name");
                assertThat(f.getValues()).containsExactly("worker-1");
              });
      assertThat(p.getMetadata().getLabels())
          .containsEntry("app.kubernetes.io/managed-by", "kdensity");
      assertThat(t.facts().kernel()).isEqualTo("6.18.0");
    }
    assertThat(steps).extracting(StepOutcome::passed).containsExactly(true, true);
    StepOutcome s2 = steps.get(1);
    assertThat(s2.pods()).isEqualTo(6);
    assertThat(s2.metrics())
        .containsEntry("ip.expected", 18.0)
        .containsEntry("ip.present", 18.0)
        .containsEntry("ip.lost", 0.0)
        // each secondary pings its gateway from the attachment's IPAM config (Multus reports a
        // gateway in network-status only for the default route); the node pings each eth0
        .containsEntry("ip.probed", 18.0);
    assertThat(s2.ready().count()).isEqualTo(3);
    assertThat(s2.attach().count()).isEqualTo(3);
    assertThat(
            cluster
                .client
                .pods()
                .inAnyNamespace()
                .withLabel(KubeLabels.MANAGED_BY, "kdensity")
                .list()
                .getItems())
        .isEmpty();
    assertThat(
            cluster
                .client
                .genericKubernetesResources(KubeLabels.NAD)
                .inAnyNamespace()
                .withLabel(KubeLabels.MANAGED_BY, "kdensity")
                .list()
                .getItems())
        .isEmpty();
    assertThat(
            cluster
                .client
                .namespaces()
                .withLabel(KubeLabels.MANAGED_BY, "kdensity")
                .list()
                .getItems())
        .isEmpty();
  }

  /** Pod name → UID of the run's pods. */
  private java.util.Map<String, String> uids() {
    java.util.Map<String, String> m = new java.util.TreeMap<>();
    cluster
        .client
        .pods()
        .inNamespace("kdensity-abc123")
        .list()
        .getItems()
        .forEach(p -> m.put(p.getMetadata().getName(), p.getMetadata().getUid()));
    return m;
  }

  @Test
  @DisplayName(
      "a soak on the fake cluster: churned pods are deleted and created anew (new UIDs), the informers follow them to Ready and every window sees all addresses; a flap sets bridge ports' node ends down and up")
  void soakChurnsPodsOnACluster() {
    cluster = new FakeCluster(2500, true).startKubelet();
    Soak soak =
        new Soak(
            6,
            Duration.ofMinutes(4),
            Duration.ofMinutes(1),
            new Soak.Rate(0.5, Duration.ofMinutes(1)),
            new Soak.Rate(0.1, Duration.ofMinutes(2)),
            Duration.ofSeconds(1),
            0);
    Plan plan = bridgePlan("{steps: [6]}").withSoak(soak);
    SoakRun run = soak(plan);
    List<Step> steps = run.steps();
    List<StepOutcome> out = run.outcomes();
    SoakMonitor monitor = run.monitor();
    List<java.util.Map<String, String>> uidsAfter = run.uidsAfter();
    // step   window  churn  flap
    assertThat(steps)
        .extracting(
            x -> x.window() == null ? "bring-up" : "window " + x.window().number(),
            x -> x.window() == null ? 0 : x.window().churn(),
            x -> x.window() == null ? 0 : x.window().flap())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("bring-up", 0, 0),
            org.assertj.core.groups.Tuple.tuple("window 1", 0, 0),
            org.assertj.core.groups.Tuple.tuple("window 2", 3, 0),
            org.assertj.core.groups.Tuple.tuple("window 3", 3, 2),
            org.assertj.core.groups.Tuple.tuple("window 4", 3, 0));
    assertThat(out)
        .allSatisfy(
            o -> {
              assertThat(o.passed()).isTrue();
              assertThat(o.pods()).isEqualTo(6);
              assertThat(o.metrics())
                  .containsEntry("ip.present", 18.0)
                  .containsEntry("ip.lost", 0.0);
            });
    // the three churned pods of each window reached Ready again: the informers saw them
    assertThat(out.subList(2, 5)).extracting(o -> o.ready().count()).containsExactly(3L, 3L, 3L);
    assertThat(out)
        .extracting(o -> o.metrics().get("soak.flapped"))
        .containsExactly(null, 0.0, 0.0, 2.0, 0.0);
    // two node ends of sat-a (bridge) interfaces down, then up again; never eth0's (cali…) or a
    // macvlan's uplink, and nothing left down
    assertThat(cluster.links.linkSets).hasSize(4);
    assertThat(cluster.links.linkSets.subList(0, 2)).allMatch(l -> l.matches("veth\\w{8} down"));
    assertThat(cluster.links.linkSets.subList(2, 4))
        .containsExactlyElementsOf(
            cluster.links.linkSets.subList(0, 2).stream()
                .map(l -> l.replace(" down", " up"))
                .toList());
    assertThat(cluster.links.down()).isEmpty();
    // each churning window re-created three pods (same names, new UIDs), a random choice: over
    // the three windows not just the newest three
    java.util.Set<String> churned = new java.util.TreeSet<>();
    for (int w = 2; w < uidsAfter.size(); w++) {
      var before = uidsAfter.get(w - 1);
      var after = uidsAfter.get(w);
      assertThat(after.keySet()).isEqualTo(before.keySet());
      List<String> renewed =
          after.keySet().stream().filter(n -> !after.get(n).equals(before.get(n))).toList();
      assertThat(renewed).as("window " + w).hasSize(3);
      churned.addAll(renewed);
    }
    assertThat(churned)
        .hasSizeGreaterThan(3)
        .isNotEqualTo(java.util.Set.of("kd-abc123-p00004", "kd-abc123-p00005", "kd-abc123-p00006"));
    // whereabouts gave back every churned pod's sat-a address: 6 allocations throughout
    assertThat(out).extracting(o -> o.metrics().get("objects.ipam_leases")).containsOnly(6.0);
    assertThat(monitor.findings()).isEmpty();
    assertThat(monitor.report().samples()).hasSize(4);
  }

  @Test
  @DisplayName(
      "a soak on the fake cluster whose churned pods' CNI DEL never reaches whereabouts: their IPPool allocations pile up and are a LEAK with its rate, found at window 3")
  void soakFindsAWhereaboutsLeakOnACluster() {
    cluster = new FakeCluster(2500, true).startKubelet();
    for (int i = 1; i <= 6; i++) {
      cluster.whereabouts.delLost.add(String.format("kd-abc123-p%05d", i));
    }
    Soak soak =
        new Soak(
            6,
            Duration.ofMinutes(4),
            Duration.ofMinutes(1),
            new Soak.Rate(0.5, Duration.ofMinutes(1)),
            Soak.Rate.NONE,
            Duration.ofSeconds(1),
            0);
    SoakRun run = soak(plan("{steps: [6]}").withSoak(soak));
    // bring-up, window 1: 6 (sat-a is whereabouts, sat-b static); then 3 more per churn
    assertThat(run.outcomes())
        .extracting(o -> o.metrics().get("objects.ipam_leases"))
        .containsExactly(6.0, 6.0, 9.0, 12.0, 15.0);
    assertThat(run.monitor().findings())
        .filteredOn(f -> f.code() == FindingCode.LEAK)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.cause()).isEqualTo(Cause.OBJECTS_NOT_FREED);
              assertThat(f.subject()).isEqualTo("objects.ipam_leases");
              assertThat(f.message()).startsWith("objects.ipam_leases +");
            });
    assertThat(run.monitor().report().detectedAt()).containsEntry("objects.ipam_leases", 3);
  }

  /** What a soak on the fake cluster did: its steps, their outcomes, the pods' UIDs after each. */
  private record SoakRun(
      List<Step> steps,
      List<StepOutcome> outcomes,
      SoakMonitor monitor,
      List<java.util.Map<String, String>> uidsAfter) {}

  /** Runs {@code plan}'s soak on the fake cluster's node, windows back to back. */
  private SoakRun soak(Plan plan) {
    Soak soak = plan.soak();
    // windows run back to back: the planner's clock jumps instead of sleeping
    MockClock windows = new MockClock();
    List<StepOutcome> out = new ArrayList<>();
    List<Step> steps = new ArrayList<>();
    SoakMonitor monitor = new SoakMonitor(soak, plan.interfacesPerPod());
    List<java.util.Map<String, String>> uidsAfter = new ArrayList<>();
    try (KubeTarget t = target(plan)) {
      t.preflight();
      t.setUp();
      RampSession s =
          new RampSession(
              plan,
              t,
              probes,
              Clock.SYSTEM,
              ProcessCpu.SELF,
              ProcessFootprint.self(),
              Progress.SILENT,
              new StepMeters(new SimpleMeterRegistry(), "kube", probes.registry()),
              new RampSession.RunInfo(t.runId(), "test", "kube", NodeFacts.UNKNOWN, ""),
              Optional.empty(),
              new SoakPlanner(soak, plan.interfacesWithPrimary(), windows, windows::add));
      for (Optional<Step> n = s.next(); n.isPresent(); n = s.next()) {
        StepOutcome o = s.execute(n.get());
        steps.add(n.get());
        out.add(o);
        uidsAfter.add(uids());
        if (n.get().window() != null) {
          monitor.record(n.get(), o);
        }
      }
    }
    return new SoakRun(steps, out, monitor, uidsAfter);
  }

  @Test
  @DisplayName(
      "a flap sets a node link down only where the pod's veth and a port of the NAD's bridge name each other as peers; a port on another bridge is left alone and noted")
  void flapChecksBothEndsOfEachLink() {
    cluster = new FakeCluster(2500, true).startKubelet();
    // the NAD named another bridge when p00002 attached
    cluster.portOnOtherBridge.add("kd-abc123-p00002");
    Plan plan = bridgePlan("{steps: [4]}");
    try (KubeTarget t = target(plan)) {
      t.setUp();
      t.scaleTo(4);
      var r = t.flap(4, Duration.ofMillis(10), 7);
      assertThat(r.asked()).isEqualTo(4);
      assertThat(r.flapped()).isEqualTo(3);
      assertThat(r.pods())
          .containsExactlyInAnyOrder("kd-abc123-p00001", "kd-abc123-p00003", "kd-abc123-p00004");
      assertThat(r.notes())
          .singleElement()
          .asString()
          .startsWith("net1 of pod kd-abc123-p00002 (sat-a) not flapped: no veth port of br-sat")
          .endsWith("as its peer");
      List<String> expected = new ArrayList<>();
      for (Pod p : cluster.client.pods().inNamespace(t.namespace()).list().getItems()) {
        if (!p.getMetadata().getName().endsWith("p00002")) {
          expected.add(cluster.links.nodeEnd(p.getMetadata().getUid(), "net1") + " down");
        }
      }
      assertThat(cluster.links.linkSets.subList(0, 3))
          .containsExactlyInAnyOrderElementsOf(expected);
      assertThat(cluster.links.linkSets.subList(3, 6))
          .containsExactlyInAnyOrderElementsOf(
              expected.stream().map(l -> l.replace(" down", " up")).toList());
      assertThat(cluster.links.down()).isEmpty();
      // a plan without bridge networks has nothing to flap on a cluster, and says why
      assertThat(
              new BridgePortFlap(cluster.node(), plan("{steps: [4]}").attachments())
                  .flap(List.of(), 2, Duration.ZERO, 1)
                  .notes())
          .singleElement()
          .asString()
          .startsWith("only bridge networks' interfaces can lose their carrier alone");
    }
  }

  @Test
  @DisplayName("sandbox failures become ATTACH_FAILED with the CNI/IPAM message and fail the step")
  void sandboxFailuresFailTheStep() {
    cluster = new FakeCluster(2500, true).startKubelet();
    cluster.failSandbox.add("kd-abc123-p00005");
    Plan plan = plan("{steps: [3, 6]}");
    try (KubeTarget t = target(plan)) {
      t.setUp();
      List<StepOutcome> steps = ramp(t, plan);
      assertThat(steps).extracting(StepOutcome::passed).containsExactly(true, false);
      assertThat(steps.get(1).findings())
          .filteredOn(f -> f.code() == FindingCode.ATTACH_FAILED)
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.cause()).isEqualTo(Cause.IPAM_EXHAUSTED);
                assertThat(f.subject()).isEqualTo("network sat-a");
                assertThat(f.message())
                    .startsWith("1 attaches to sat-a (multus) failed: FailedCreatePodSandBox: ")
                    .contains("no IP addresses available in range set");
                assertThat(f.evidence().get(0).what()).isEqualTo("pod kd-abc123-p00005 -");
              });
    }
  }

  @Test
  @DisplayName(
      "a pod Ready without its interfaces in network-status is a CNI finding (interfaces = pods × (k+1)), and each step records the Node's conditions")
  void readyWithoutNetworkStatusAndNodeConditions() {
    cluster = new FakeCluster(2500, true).startKubelet();
    cluster.noNetworkStatus.add("kd-abc123-p00002");
    // the kubelet reports memory pressure (its eviction threshold crossed)
    cluster
        .client
        .nodes()
        .withName(FakeCluster.NODE)
        .edit(
            n ->
                new io.fabric8.kubernetes.api.model.NodeBuilder(n)
                    .editStatus()
                    .addNewCondition()
                    .withType("MemoryPressure")
                    .withStatus("True")
                    .endCondition()
                    .endStatus()
                    .build());
    Plan plan = plan("{steps: [3]}");
    try (KubeTarget t = target(plan)) {
      t.setUp();
      List<StepOutcome> steps = ramp(t, plan);
      assertThat(steps.get(0).passed()).isFalse();
      assertThat(steps.get(0).findings())
          .filteredOn(f -> f.code() == FindingCode.ATTACH_FAILED)
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.cause()).isEqualTo(Cause.NETWORK_STATUS_MISSING);
                assertThat(f.layer()).isEqualTo(io.kdensity.probes.finding.Layer.CNI);
                assertThat(f.message()).contains("0 of 3 interfaces listed");
                assertThat(f.evidence().get(0).what()).isEqualTo("pod kd-abc123-p00002 -");
              });
      assertThat(steps.get(0).metrics())
          .containsEntry("node.ready", 1.0)
          .containsEntry("node.memory_pressure", 1.0)
          .doesNotContainKey("node.pid_pressure"); // a condition the node does not report
      assertThat(steps.get(0).notes())
          .contains(
              "the kubelet reports the node MemoryPressure: a knee here may be the kubelet's, not"
                  + " the datapath's");
    }
  }

  @Test
  @DisplayName(
      "a pod whose sandbox the node does not show is named in the step's notes and counted, not silently skipped")
  void podsThatCannotBeInspectedAreReported() {
    cluster = new FakeCluster(2500, true).startKubelet();
    cluster.noSandbox.add("kd-abc123-p00002");
    Plan plan = plan("{steps: [3]}");
    try (KubeTarget t = target(plan)) {
      t.setUp();
      StepOutcome s = ramp(t, plan).get(0);
      assertThat(s.metrics())
          .containsEntry("pods.uninspected", 1.0)
          // only the two pods that could be entered had their addresses checked
          .containsEntry("ip.expected", 6.0);
      assertThat(s.notes())
          .contains(
              "1 pods could not be inspected, their addresses were not checked:"
                  + " kd-abc123-p00002 (no process with its UID in its cgroup on the node)");
    }
  }

  /** What preflight says about a profile's pod sysctls, given the kubelet's allow-list. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("kubeletAllowLists")
  void unsafePodSysctlsAreCheckedAgainstTheKubelet(
      String why, List<String> allowed, boolean configzReadable, String outcome) {
    cluster = new FakeCluster(2500, true);
    cluster.allowedUnsafeSysctls.addAll(allowed);
    if (!configzReadable) {
      cluster.denied.add("get nodes/proxy");
    }
    try (KubeTarget t = target(plan("{steps: [3]}"))) {
      t.setPodSysctls(
          java.util.Map.of(
              "net.ipv6.conf.all.accept_dad", "0",
              "net.ipv6.conf.default.accept_dad", "0",
              "net.ipv4.tcp_syncookies", "1"));
      if (outcome.startsWith("refuses ")) {
        List<String> refused = List.of(outcome.substring("refuses ".length()).split(" "));
        assertThatThrownBy(t::preflight)
            .isInstanceOf(io.kdensity.scale.targets.PreflightException.class)
            .hasMessageContaining(
                "refuses pods with the unsafe sysctls "
                    + String.join(", ", refused)
                    + " that the profile's podSysctl sets")
            .hasMessageContaining("--allowed-unsafe-sysctls='" + String.join(",", refused) + "'")
            .hasMessageNotContaining("tcp_syncookies");
        return;
      }
      switch (outcome) {
        case "passes" -> assertThat(t.preflight()).isEmpty();
        case "warns" ->
            assertThat(t.preflight())
                .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("could not be checked (reading it needs `get nodes/proxy`")
                .contains("net.ipv6.conf.all.accept_dad, net.ipv6.conf.default.accept_dad");
        default -> throw new IllegalArgumentException(outcome);
      }
    }
  }

  private static final String BOTH =
      "refuses net.ipv6.conf.all.accept_dad net.ipv6.conf.default.accept_dad";

  static Stream<Arguments> kubeletAllowLists() {
    return Stream.of(
        Arguments.of("a stock kubelet allows no unsafe sysctl", List.of(), true, BOTH),
        Arguments.of(
            "one of two allowed by name",
            List.of("net.ipv6.conf.all.accept_dad"),
            true,
            "refuses net.ipv6.conf.default.accept_dad"),
        Arguments.of("a pattern allows both", List.of("net.ipv6.conf.*"), true, "passes"),
        Arguments.of(
            "both allowed by name",
            List.of("net.ipv6.conf.all.accept_dad", "net.ipv6.conf.default.accept_dad"),
            true,
            "passes"),
        Arguments.of("a pattern of another family does not", List.of("net.ipv4.*"), true, BOTH),
        Arguments.of("without get nodes/proxy the list cannot be read", List.of(), false, "warns"));
  }

  @Test
  @DisplayName(
      "without permission to list whereabouts' IPPools preflight warns that a soak counts no IPAM allocations, and the steps carry none")
  void unreadableIpPoolsAreAWarning() {
    cluster = new FakeCluster(2500, true).startKubelet();
    // the API server's answer to a list the identity's RBAC does not grant
    cluster
        .server
        .expect()
        .get()
        .withPath("/apis/whereabouts.cni.cncf.io/v1alpha1/ippools")
        .andReturn(
            403,
            new io.fabric8.kubernetes.api.model.StatusBuilder()
                .withStatus("Failure")
                .withReason("Forbidden")
                .withCode(403)
                .withMessage(
                    "ippools.whereabouts.cni.cncf.io is forbidden: User \"ops\" cannot list"
                        + " resource \"ippools\" in API group \"whereabouts.cni.cncf.io\" at the"
                        + " cluster scope")
                .build())
        .always();
    try (KubeTarget t = target(plan("{steps: [2]}"))) {
      assertThat(t.preflight())
          .singleElement()
          .asString()
          .startsWith(
              "whereabouts' IPPools cannot be listed (forbidden: grant list on"
                  + " ippools.whereabouts.cni.cncf.io, see scale-tests/kube/rbac.yaml)")
          .endsWith("a soak does not count the run's IPAM allocations for leaks");
      t.setUp();
      t.scaleTo(2);
      assertThat(t.objectCounts()).isEmpty();
    }
    // with it, the two pods' sat-a addresses (whereabouts; sat-b is static)
    cluster.close();
    cluster = new FakeCluster(2500, true).startKubelet();
    try (KubeTarget t = target(plan("{steps: [2]}"))) {
      assertThat(t.preflight()).isEmpty();
      t.setUp();
      t.scaleTo(2);
      assertThat(t.objectCounts()).containsExactly(java.util.Map.entry(NodeObject.IPAM_LEASES, 2L));
    }
  }

  @Test
  @DisplayName("only safe pod sysctls: the kubelet's configuration is not read, and its pods run")
  void safePodSysctlsNeedNoAllowList() {
    cluster = new FakeCluster(2500, true).startKubelet();
    cluster.denied.add("get nodes/proxy");
    try (KubeTarget t = target(plan("{steps: [2]}"))) {
      t.setPodSysctls(java.util.Map.of("net.ipv4.tcp_syncookies", "1"));
      assertThat(t.preflight()).isEmpty();
      t.setUp();
      assertThat(t.scaleTo(2).findings()).isEmpty();
    }
  }

  @Test
  @DisplayName(
      "the fake kubelet refuses a pod whose unsafe sysctl it does not allow, as the real one does (SysctlForbidden naming the sysctl)")
  void kubeletRefusesUnsafeSysctlsItDoesNotAllow() {
    cluster = new FakeCluster(2500, true).startKubelet();
    try (KubeTarget t = target(plan("{steps: [2]}"))) {
      t.setPodSysctls(java.util.Map.of("net.ipv6.conf.all.accept_dad", "0"));
      t.setUp();
      var scaled = t.scaleTo(2);
      assertThat(scaled.findings()).extracting(f -> f.cause()).containsOnly(Cause.SYSCTL_FORBIDDEN);
      assertThat(scaled.findings())
          .flatExtracting(f -> f.evidence())
          .extracting(e -> e.raw())
          .anyMatch(w -> w.contains("\"net.ipv6.conf.all.accept_dad\" not allowlisted"));
    }
  }

  @Test
  @DisplayName(
      "pods the kubelet or the scheduler refuses get their real cause at once; a sandbox that succeeds on retry is no failure")
  void podFailuresAreClassified() {
    cluster = new FakeCluster(2500, true).startKubelet();
    cluster.fates.put("kd-abc123-p00001", FakeCluster.Fate.SYSCTL_FORBIDDEN);
    cluster.fates.put("kd-abc123-p00002", FakeCluster.Fate.OUT_OF_PODS);
    cluster.fates.put("kd-abc123-p00003", FakeCluster.Fate.UNSCHEDULABLE);
    cluster.fates.put("kd-abc123-p00004", FakeCluster.Fate.SANDBOX_RETRY);
    Plan plan = plan("{steps: [5]}", "120s");
    try (KubeTarget t = target(plan)) {
      t.setUp();
      var scaled = t.scaleTo(5);
      // terminal failures settle at once: nothing waits for the 120 s ready timeout
      assertThat(scaled.elapsed()).isLessThan(java.time.Duration.ofSeconds(30));
      assertThat(scaled.readyMicros().getTotalCount()).as("p00004 and p00005 ran").isEqualTo(2);
      assertThat(scaled.findings())
          .extracting(f -> f.cause())
          .containsExactlyInAnyOrder(
              Cause.SYSCTL_FORBIDDEN, Cause.NODE_POD_LIMIT, Cause.UNSCHEDULABLE);
      assertThat(scaled.findings())
          .flatExtracting(f -> f.evidence())
          .extracting(e -> e.what())
          .noneMatch(w -> w.contains("p00004"));
    }
  }

  @Test
  void missingCrdIsAPreflightError() {
    cluster = new FakeCluster(2500, false);
    KubeTarget t = target(plan("{steps: [3]}"));
    assertThatThrownBy(t::preflight)
        .isInstanceOf(PreflightException.class)
        .hasMessageContaining(
            "the NetworkAttachmentDefinition CRD (network-attachment-definitions.k8s.cni.cncf.io) is not installed");
    assertThat(cluster.client.namespaces().list().getItems()).isEmpty();
  }

  @Test
  @DisplayName("every missing permission is listed in one message, nothing is created")
  void missingPermissionsAreListedTogether() {
    cluster = new FakeCluster(2500, true);
    cluster.denied.add("create pods/exec");
    cluster.denied.add("create apps/daemonsets");
    KubeTarget t = target(plan("{steps: [3]}"));
    assertThatThrownBy(t::preflight)
        .hasMessageContaining(
            "permissions (see scale-tests/kube/rbac.yaml): create pods/exec, create apps/daemonsets");
    assertThat(cluster.client.namespaces().list().getItems()).isEmpty();
  }

  @Test
  @DisplayName("a node that admits fewer pods than the plan says so and how to raise maxPods")
  void maxPods() {
    cluster = new FakeCluster(110, true);
    KubeTarget t = target(plan("{steps: [100, 200]}"));
    assertThatThrownBy(t::preflight)
        .hasMessageContaining(
            "admits 110 pods (kubelet maxPods; the default is 110) and already runs 0, so 110 more"
                + " fit, but the plan ramps to 200")
        .hasMessageContaining("raise maxPods in the node's KubeletConfiguration");
  }

  @Test
  @DisplayName(
      "pods already on the node count against maxPods, as the kubelet counts them (ended ones do not)")
  void podsAlreadyOnTheNodeCount() {
    cluster = new FakeCluster(110, true);
    for (int i = 0; i < 21; i++) {
      cluster.podsOfOthers.add(
          new io.fabric8.kubernetes.api.model.PodBuilder()
              .withNewMetadata()
              .withName("ds-" + i)
              .withNamespace("kube-system")
              .endMetadata()
              .withNewSpec()
              .withNodeName(i == 20 ? "worker-2" : FakeCluster.NODE)
              .endSpec()
              .withNewStatus()
              .withPhase(i == 19 ? "Succeeded" : "Running")
              .endStatus()
              .build());
    }
    KubeTarget t = target(plan("{steps: [50, 100]}"));
    // 19 running on worker-1; the ended one and worker-2's do not count
    assertThatThrownBy(t::preflight)
        .hasMessageContaining("admits 110 pods")
        .hasMessageContaining("already runs 19, so 91 more fit, but the plan ramps to 100");
  }

  @Test
  @DisplayName("429 and 500 answers from the API server are retried; the ramp completes")
  void throttlingAndServerErrorsAreRetried() {
    cluster = new FakeCluster(2500, true).startKubelet();
    cluster
        .server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/kdensity-abc123/pods")
        .andReturn(429, "{\"kind\":\"Status\",\"code\":429}")
        .once();
    cluster
        .server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/kdensity-abc123/pods")
        .andReturn(500, "{\"kind\":\"Status\",\"code\":500}")
        .once();
    Plan plan = plan("{steps: [4]}");
    try (KubeTarget t = target(plan)) {
      t.setUp();
      List<StepOutcome> steps = ramp(t, plan);
      assertThat(steps.get(0).passed()).isTrue();
      assertThat(steps.get(0).metrics()).containsEntry("ip.present", 12.0);
      assertThat(cluster.client.pods().inNamespace("kdensity-abc123").list().getItems()).hasSize(4);
    }
  }

  @Test
  @DisplayName(
      "a create the API server keeps refusing with 429 (APF) fails the step with a control-plane cause, not the run with an error")
  void throttlingBeyondTheRetriesIsAControlPlaneFinding() {
    cluster = new FakeCluster(2500, true).startKubelet();
    cluster
        .server
        .expect()
        .post()
        .withPath("/api/v1/namespaces/kdensity-abc123/pods")
        .andReturn(
            429,
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":429,"
                + "\"reason\":\"TooManyRequests\",\"message\":\"the server has received too many"
                + " requests and has asked us to try again later\"}")
        .once();
    // a client that does not retry: the 429 is its last answer
    var noRetry =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(cluster.client.getConfiguration())
                    .withRequestRetryBackoffLimit(0)
                    .build())
            .build();
    Plan plan = plan("{steps: [4]}");
    try (KubeTarget t =
        new KubeTarget(plan, noRetry, cluster.node(), "abc123", NodeFacts.UNKNOWN, Clock.SYSTEM)) {
      t.setUp();
      List<StepOutcome> steps = ramp(t, plan);
      assertThat(steps.get(0).passed()).isFalse();
      assertThat(steps.get(0).findings())
          .filteredOn(f -> f.code() == FindingCode.ATTACH_FAILED)
          .singleElement()
          .satisfies(
              f -> {
                assertThat(f.cause()).isEqualTo(Cause.API_THROTTLED);
                assertThat(f.layer()).isEqualTo(io.kdensity.probes.finding.Layer.CONTROL_PLANE);
                assertThat(f.message()).contains("429 Too Many Requests");
              });
      assertThat(t.pods()).isEqualTo(3);
    } finally {
      noRetry.close();
    }
  }
}
