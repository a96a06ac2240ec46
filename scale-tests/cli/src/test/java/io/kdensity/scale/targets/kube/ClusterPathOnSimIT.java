package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.StepProbes;
import io.kdensity.probes.probe.Sweep;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.sim.SimCluster;
import io.kdensity.scale.sim.SimOptions;
import io.kdensity.scale.targets.FlapResult;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.PreflightException;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.TrafficResult;
import io.kdensity.scale.targets.local.LocalCleanup;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Real kernel: the cluster path — DaemonSetNode, ExecShell, PauseProcesses, the batched probes and
 * pings, BridgePortFlap — against sim-cluster playing OpenShift, with no fixture shell anywhere.
 */
@Tag("kernel")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterPathOnSimIT {
  private SimCluster sim;
  private KubernetesClient client;
  private Path kubeconfig;
  private String simRun;

  @BeforeAll
  void start() throws Exception {
    sim =
        SimCluster.start(
            new SimOptions(
                "worker-7",
                30,
                2,
                true,
                "v1.31.4",
                "restricted",
                List.of(),
                0,
                8,
                SimOptions.DEFAULT.cniDirs(),
                50,
                100,
                // and GKE's quota for critical pods: both admissions in the probe's way at once
                true),
            Clock.SYSTEM,
            m -> System.err.println("[sim] " + m));
    simRun = sim.runId();
    kubeconfig = Files.createTempFile("sim", ".kubeconfig");
    sim.writeKubeconfig(kubeconfig);
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig), null))
            .build();
  }

  @AfterAll
  void stop() throws Exception {
    if (client != null) {
      client.close();
    }
    if (sim != null) {
      sim.close();
    }
    Files.deleteIfExists(kubeconfig);
    assertThat(new LocalCleanup(new LocalShell()).runsPresent()).doesNotContain(simRun);
  }

  private DaemonSetNode probe(String ns, String run) {
    return new DaemonSetNode(
        client,
        ns,
        run,
        sim.nodeName(),
        "nicolaka/netshoot:v0.13",
        Duration.ofSeconds(60),
        Clock.SYSTEM,
        new RateLimiter(50, 100, Clock.SYSTEM));
  }

  @Test
  @DisplayName(
      "OpenShift: without the run's SCC binding the probe DaemonSet's pod is refused by SCC admission, and kdensity says what grants it")
  void sccRefusalWithoutTheBinding() {
    String ns = "kdensity-sccnob";
    client.namespaces().resource(KubeLabels.runNamespace(ns, "sccnob")).create();
    ProbeServiceAccount.create(client, ns, "sccnob", false); // the account, not its binding
    CriticalPodQuota.create(client, ns, "sccnob");
    assertThatThrownBy(() -> probe(ns, "sccnob").start())
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining("unable to validate against any security context constraint")
        .hasMessageContaining(
            "provider \"privileged\": Forbidden: not usable by user or serviceaccount")
        .hasMessageContaining("`use` of securitycontextconstraints/privileged");
    KubeCleanup.deleteNamespace(client, ns, Duration.ofMinutes(2));
  }

  @Test
  @DisplayName(
      "GKE: without a ResourceQuota for system-node-critical in the run's namespace the probe pod is refused by quota admission, and kdensity says why")
  void criticalPriorityRefusedWithoutTheQuota() {
    String ns = "kdensity-noquota";
    client.namespaces().resource(KubeLabels.runNamespace(ns, "noquota")).create();
    ProbeServiceAccount.create(client, ns, "noquota", ProbeServiceAccount.openshift(client));
    assertThatThrownBy(() -> probe(ns, "noquota").start())
        .isInstanceOf(InfrastructureException.class)
        .hasMessageContaining(
            "insufficient quota to match these scopes: [{PriorityClass In [system-node-critical system-cluster-critical]}]");
    KubeCleanup.deleteNamespace(client, ns, Duration.ofMinutes(2));
  }

  @Test
  @DisplayName(
      "the probe is admitted by the privileged SCC through the run's binding; node-wide state comes from the root namespace, links from the node's, outside-node entries apart, pods by their /pause process")
  void probePathOnTheSimulatedNode() throws Exception {
    String ns = "kdensity-probe1";
    client.namespaces().resource(KubeLabels.runNamespace(ns, "probe1")).create();
    ProbeServiceAccount.create(client, ns, "probe1", ProbeServiceAccount.openshift(client));
    CriticalPodQuota.create(client, ns, "probe1");
    DaemonSetNode node = probe(ns, "probe1");
    node.start();
    Pod probe =
        client
            .pods()
            .inNamespace(ns)
            .withLabel(KubeLabels.ROLE, KubeLabels.ROLE_PROBE)
            .list()
            .getItems()
            .get(0);
    assertThat(probe.getMetadata().getAnnotations())
        .containsEntry("openshift.io/scc", "privileged");
    assertThat(probe.getSpec().getServiceAccountName()).isEqualTo(ProbeServiceAccount.NAME);
    // the Priority plugin resolved the probe's class: the kubelet evicts it last
    assertThat(probe.getSpec().getPriority()).isEqualTo(2000001000);
    // the probe pod is in the node's namespace, which is not the kernel's root one here
    assertThat(node.host()).isInstanceOf(NetnsShell.class).isNotSameAs(node.nodeNamespace());
    assertThat(node.host().readFile("/proc/sys/net/ipv6/neigh/default/gc_thresh3").strip())
        .matches("\\d+");
    assertThat(node.nodeNamespace().run(Command.of("ip", "-j", "link")).stdout())
        .contains(sim.masters().get(0));
    assertThat(node.outsideNode()).hasSize(1);
    KubeCleanup.deleteNamespace(client, ns, Duration.ofMinutes(2));
  }

  @Test
  @DisplayName(
      "doctor --kube walks the path once with a canary pod (exec with and without stdin, network-status, probes, pings, teardown), exits 0 and writes a redacted bundle")
  void doctorOnTheSimulatedCluster() throws Exception {
    Path dir = Files.createTempDirectory("doctor");
    try {
      Path plan =
          Files.writeString(
              dir.resolve("plan.yaml"),
              String.join(
                  "\n",
                  "name: doctor-on-sim",
                  "target:",
                  "  type: kube",
                  "  node: " + sim.nodeName(),
                  "  kube: {kubeconfig: " + kubeconfig + ", readyTimeout: 120s}",
                  "attachments:",
                  "  - name: sat-a",
                  "    config: |",
                  "      {\"cniVersion\": \"0.3.1\", \"type\": \"macvlan\", \"master\": \""
                      + sim.masters().get(0)
                      + "\", \"mode\": \"bridge\",",
                  "       \"ipam\": {\"type\": \"host-local\", \"ranges\": [[{\"subnet\": \"fd00:10:1::/64\"}]]}}",
                  "  - name: sat-b",
                  "    config: |",
                  "      {\"cniVersion\": \"0.3.1\", \"type\": \"macvlan\", \"master\": \""
                      + sim.masters().get(0)
                      + "\", \"mode\": \"bridge\",",
                  "       \"ipam\": {\"type\": \"whereabouts\", \"range\": \"fd00:10:2::/64\"}}",
                  "interfacesPerPod: 2",
                  "ramp: {steps: [2, 4]}",
                  ""));
      Path out = dir.resolve("bundle");

      int exit =
          io.kdensity.scale.cli.Main.execute(
              "doctor", "--kube", "--plan", plan.toString(), "--out", out.toString());

      String checks = Files.readString(out.resolve("checks.json"));
      assertThat(exit).as(checks).isZero();
      assertThat(checks)
          .contains(
              "\"exec with stdin\"", "\"canary pod\"", "\"probes\"", "\"pings\"", "\"teardown\"")
          .doesNotContain("\"ok\" : false");
      String exec = Files.readString(out.resolve("exec.jsonl"));
      assertThat(exec).contains("\"stdin\":\"kdensity-doctor-stdin\\n\"").contains("uname");
      assertThat(out.resolve("api/node.json")).exists();
      assertThat(Files.readString(out.resolve("api/pods.json")))
          .contains("k8s.v1.cni.cncf.io/network-status");
      // redacted: the node's name does not appear anywhere in the bundle
      try (var files = Files.walk(out)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertThat(Files.readString(f)).as(f.toString()).doesNotContain(sim.nodeName());
        }
      }
      assertThat(Files.readString(out.resolve("api/node.json"))).contains("\"node-1\"");
      assertThat(NodeLease.heldBy(client, sim.nodeName(), java.time.Instant.now())).isEmpty();
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  @Test
  @DisplayName(
      "a NAD naming a master the node lacks is refused on the node before the first pod (the macvlan plugin would fail every ADD with Link not found), and the run removes what it made")
  void aMasterTheNodeLacksIsRefusedBeforeTheFirstPod() {
    Plan plan =
        PlanLoader.parse(
            String.join(
                "\n",
                "name: wrong-node",
                "target:",
                "  type: kube",
                "  node: " + sim.nodeName(),
                "  kube: {kubeconfig: " + kubeconfig + ", readyTimeout: 120s}",
                "attachments:",
                "  - name: sat-a",
                "    config: |",
                "      {\"cniVersion\": \"0.3.1\", \"type\": \"macvlan\", \"master\": \"ens9f9\",",
                "       \"ipam\": {\"type\": \"whereabouts\", \"range\": \"fd00:10:1::/64\"}}",
                "ramp:",
                "  steps: [2]",
                ""),
            "wrong-node.yaml");
    KubeTarget t = (KubeTarget) KubeTargets.create(plan, NodeFacts.UNKNOWN, Clock.SYSTEM);
    try {
      assertThat(t.preflight()).isEmpty();
      assertThatThrownBy(t::setUp)
          .isInstanceOf(PreflightException.class)
          .hasMessageContaining("preflight on the node failed, before the first pod")
          .hasMessageContaining(
              "NAD 'sat-a' names master \"ens9f9\", which node "
                  + sim.nodeName()
                  + " does not have")
          .hasMessageContaining(sim.masters().get(0));
      assertThat(
              client
                  .pods()
                  .inNamespace(t.namespace())
                  .withLabel(KubeLabels.ROLE, KubeLabels.ROLE_POD)
                  .list()
                  .getItems())
          .isEmpty();
    } finally {
      t.close();
    }
    assertThat(client.namespaces().withName(t.namespace()).get()).isNull();
    assertThat(NodeLease.heldBy(client, sim.nodeName(), java.time.Instant.now())).isEmpty();
  }

  @Test
  @DisplayName(
      "KubeTarget on the simulated cluster: a ramp step's pods, probes and pings through exec, a bridge port flapped from both ends, churn with new UIDs, and the namespace gone at close")
  void kubeTargetEndToEnd() throws Exception {
    Plan plan =
        PlanLoader.parse(
            String.join(
                "\n",
                "name: on-sim",
                "target:",
                "  type: kube",
                "  node: " + sim.nodeName(),
                "  kube:",
                "    kubeconfig: " + kubeconfig,
                "    readyTimeout: 120s",
                "attachments:",
                "  - name: sat-a",
                "    config: |",
                "      {\"cniVersion\": \"0.3.1\", \"type\": \"macvlan\", \"master\": \""
                    + sim.masters().get(0)
                    + "\", \"mode\": \"bridge\",",
                "       \"ipam\": {\"type\": \"whereabouts\", \"range\": \"fd00:10:1::/64\"}}",
                "  - name: lan-b",
                "    config: |",
                "      {\"cniVersion\": \"0.3.1\", \"type\": \"bridge\", \"bridge\": \"kdsimbr0\",",
                "       \"ipam\": {\"type\": \"host-local\", \"ranges\": [[{\"subnet\": \"fd00:10:2::/64\"}]]}}",
                "interfacesPerPod: 2",
                "ramp:",
                "  steps: [3]",
                ""),
            "on-sim.yaml");
    try (KubeTarget t = (KubeTarget) KubeTargets.create(plan, NodeFacts.UNKNOWN, Clock.SYSTEM);
        ProbeRunner probes =
            new ProbeRunner(
                DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT), Clock.SYSTEM, 8)) {
      assertThat(t.preflight()).isEmpty();
      t.setUp();
      // one run per node: a second run's preflight names the first, before creating anything
      try (KubeTarget second =
          (KubeTarget) KubeTargets.create(plan, NodeFacts.UNKNOWN, Clock.SYSTEM)) {
        assertThatThrownBy(second::preflight)
            .isInstanceOf(PreflightException.class)
            .hasMessageContaining("node " + sim.nodeName() + " is in use by run " + t.runId());
      }
      ScaleResult r = t.scaleTo(3);
      assertThat(r.findings()).isEmpty();
      assertThat(r.pods()).isEqualTo(3);
      assertThat(r.interfaces()).isEqualTo(9); // eth0 + 2 per pod, from network-status
      ProbeScope scope = t.scope();
      assertThat(scope.pods()).hasSize(3);
      assertThat(scope.uninspected()).isEmpty();
      Sweep before = probes.snapshot(scope);
      TrafficResult traffic = t.traffic(plan.traffic(), Duration.ofSeconds(1));
      // eth0 from the node, lan-b's gateway (host-local's first address, on the bridge), sat-a's
      // peer (whereabouts has no gateway)
      assertThat(traffic.reachability()).hasSize(9).doesNotContainValue(false);
      StepProbes step =
          probes.evaluate(
              before, probes.snapshot(scope), scope.withReachability(traffic.reachability()));
      assertThat(step.errors()).isEmpty();
      Map<String, Double> m = step.metrics();
      assertThat(m)
          .containsEntry("ip.expected", 9.0)
          .containsEntry("ip.present", 9.0)
          .containsEntry("ip.lost", 0.0);
      assertThat(m.get("neigh.v6.gc_thresh3")).isPositive();
      // the node tracks connections as kube-proxy's rules make it: the node's pings of the three
      // eth0 addresses hold an entry each (ICMP, 30 s), far from nf_conntrack_max
      assertThat(m.get("conntrack.entries")).isGreaterThanOrEqualTo(3.0);
      assertThat(m).containsEntry("conntrack.drops", 0.0);
      FlapResult flap = t.flap(1, Duration.ofMillis(300), 1);
      assertThat(flap.flapped()).as(flap.notes().toString()).isEqualTo(1);
      List<String> uids =
          client
              .pods()
              .inNamespace(t.namespace())
              .withLabel(KubeLabels.ROLE, KubeLabels.ROLE_POD)
              .list()
              .getItems()
              .stream()
              .map(p -> p.getMetadata().getUid())
              .toList();
      ScaleResult churned = t.churn(1, 7);
      assertThat(churned.pods()).isEqualTo(3);
      assertThat(
              client
                  .pods()
                  .inNamespace(t.namespace())
                  .withLabel(KubeLabels.ROLE, KubeLabels.ROLE_POD)
                  .list()
                  .getItems()
                  .stream()
                  .map(p -> p.getMetadata().getUid()))
          .hasSize(3)
          .filteredOn(u -> !uids.contains(u))
          .hasSize(1);
      t.close();
      assertThat(client.namespaces().withName(t.namespace()).get()).isNull();
      // the teardown waited for the kubelet: no pod of the run Terminating, the node given back
      assertThat(
              client.pods().inAnyNamespace().withLabel(KubeLabels.RUN, t.runId()).list().getItems())
          .isEmpty();
      assertThat(NodeLease.heldBy(client, sim.nodeName(), java.time.Instant.now())).isEmpty();
    }
  }
}
