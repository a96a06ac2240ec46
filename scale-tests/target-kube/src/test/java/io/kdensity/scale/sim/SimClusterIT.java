package io.kdensity.scale.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.MissingToolException;
import io.kdensity.probes.shell.ShellException;
import io.kdensity.scale.targets.kube.ExecShell;
import io.kdensity.scale.targets.local.LocalCleanup;
import io.micrometer.core.instrument.Clock;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Real kernel: sim-cluster behaves at the wire like the components it models. One cluster for the
 * class (maxPods 6, so the scheduler's and kubelet's limits are reached with a handful of pods).
 */
@Tag("kernel")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SimClusterIT {
  static final int MAX_PODS = 12;
  static final String PAUSE = "registry.k8s.io/pause:3.10";
  static final String PROBE = "nicolaka/netshoot:v0.13";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private SimCluster sim;
  private KubernetesClient client;
  private String runId;

  @BeforeAll
  void start() throws Exception {
    sim =
        SimCluster.start(
            new SimOptions(
                "sim-worker-1",
                MAX_PODS,
                2,
                false,
                "v1.31.4",
                "baseline",
                List.of("net.ipv6.conf.*"),
                0,
                4,
                SimOptions.DEFAULT.cniDirs(),
                50,
                100,
                false),
            Clock.SYSTEM,
            m -> System.err.println("[sim] " + m));
    runId = sim.runId();
    Path kubeconfig = Files.createTempFile("sim", ".kubeconfig");
    sim.writeKubeconfig(kubeconfig);
    client =
        new KubernetesClientBuilder()
            .withConfig(Config.fromKubeconfig(null, Files.readString(kubeconfig), null))
            .build();
    Files.delete(kubeconfig);
  }

  @AfterAll
  void stop() {
    if (client != null) {
      client.close();
    }
    if (sim != null) {
      sim.close();
    }
    // nothing of the simulated node is left: namespaces, links, cgroups
    LocalCleanup cleanup = new LocalCleanup(new LocalShell());
    assertThat(cleanup.runsPresent()).doesNotContain(runId);
  }

  private String namespace(String name, String podSecurity) {
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(name)
                .withLabels(
                    podSecurity == null ? Map.of() : Map.of(PodSecurity.ENFORCE_LABEL, podSecurity))
                .endMetadata()
                .build())
        .create();
    // the service account controller's default account, which admission requires
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
    return name;
  }

  /** Deletes a namespace and waits until the namespace controller and the kubelet are done. */
  private void deleteNamespace(String ns) {
    client.namespaces().withName(ns).delete();
    Awaitility.await("namespace " + ns + " gone")
        .atMost(Duration.ofSeconds(120))
        .until(() -> client.namespaces().withName(ns).get() == null);
  }

  private void nad(String ns, String name, String config) {
    client
        .genericKubernetesResources(Multus.NAD)
        .inNamespace(ns)
        .resource(
            new GenericKubernetesResourceBuilder()
                .withApiVersion("k8s.cni.cncf.io/v1")
                .withKind("NetworkAttachmentDefinition")
                .withNewMetadata()
                .withName(name)
                .withNamespace(ns)
                .endMetadata()
                .addToAdditionalProperties("spec", Map.of("config", config))
                .build())
        .create();
  }

  private String macvlan(int uplink, String ipam) {
    return "{\"cniVersion\":\"0.3.1\",\"type\":\"macvlan\",\"master\":\""
        + sim.masters().get(uplink)
        + "\",\"mode\":\"bridge\",\"ipam\":"
        + ipam
        + "}";
  }

  private Pod pod(String ns, String name, String image, String networks, boolean host) {
    PodBuilder b =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withAnnotations(networks == null ? Map.of() : Map.of(Multus.NETWORKS, networks))
            .endMetadata()
            .withNewSpec()
            .withNodeSelector(Map.of(Scheduler.HOSTNAME, sim.nodeName()))
            .withHostNetwork(host)
            .withHostPID(host)
            .withTerminationGracePeriodSeconds(30L)
            .addNewContainer()
            .withName("c")
            .withImage(image)
            .endContainer()
            .endSpec();
    return client.pods().inNamespace(ns).resource(b.build()).create();
  }

  private Pod awaitRunning(String ns, String name) {
    try {
      return client
          .pods()
          .inNamespace(ns)
          .withName(name)
          .waitUntilCondition(
              p -> p != null && p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
              60,
              TimeUnit.SECONDS);
    } catch (KubernetesClientException e) {
      Pod p = client.pods().inNamespace(ns).withName(name).get();
      throw new AssertionError(
          "pod "
              + ns
              + "/"
              + name
              + " not Running: "
              + (p == null ? "gone" : p.getStatus())
              + "; events: "
              + client.v1().events().inNamespace(ns).list().getItems().stream()
                  .map(ev -> ev.getReason() + ": " + ev.getMessage())
                  .toList(),
          e);
    }
  }

  private List<Event> events(String ns, String reason) {
    return client.v1().events().inNamespace(ns).list().getItems().stream()
        .filter(e -> reason.equals(e.getReason()))
        .toList();
  }

  @Nested
  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  @DisplayName("exec over v4.channel.k8s.io, as the API server and kubelet speak it")
  class Exec {
    private String ns;
    private String probe;

    @BeforeAll
    void probePod() {
      ns = namespace("exec", "privileged");
      probe = pod(ns, "probe", PROBE, null, true).getMetadata().getName();
      awaitRunning(ns, probe);
    }

    @AfterAll
    void removeNamespace() {
      deleteNamespace(ns);
    }

    private ExecShell shell() {
      return new ExecShell(client, ns, probe, Clock.SYSTEM);
    }

    @Test
    @DisplayName(
        "stdout, stderr and the exit code come apart: Success for 0, NonZeroExitCode with the code")
    void exitCodesAndStreams() {
      CommandResult ok = shell().run(Command.of("sh", "-c", "echo out; echo err >&2"));
      assertThat(ok.exitCode()).isZero();
      assertThat(ok.stdout()).isEqualTo("out\n");
      assertThat(ok.stderr()).isEqualTo("err\n");
      CommandResult three = shell().run(Command.of("sh", "-c", "echo partial; exit 3"));
      assertThat(three.exitCode()).isEqualTo(3);
      assertThat(three.stdout()).isEqualTo("partial\n");
    }

    @Test
    @DisplayName(
        "v4 cannot end stdin: `cat` with stdin closed by the client never exits (kubernetes#89899), so ExecShell sends stdin with its length")
    void stdinNeverEndsOnV4() throws Exception {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ExecWatch w =
          client
              .pods()
              .inNamespace(ns)
              .withName(probe)
              .redirectingInput()
              .writingOutput(out)
              .exec("cat")) {
        try (OutputStream in = w.getInput()) {
          in.write("hello\n".getBytes(StandardCharsets.UTF_8));
        }
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> out.size() > 0);
        Thread.sleep(2000);
        assertThat(w.exitCode()).isNotDone(); // still waiting for the end of stdin
      }
      // the same through ExecShell: the command reads exactly what was sent
      String big = "x".repeat(200_000) + "\n";
      CommandResult r = shell().run(Command.of("wc", "-c").withStdin(big));
      assertThat(r.exitCode()).isZero();
      assertThat(r.stdout().strip()).isEqualTo(Integer.toString(big.length()));
    }

    @Test
    @DisplayName(
        "a program the image lacks is the runtime's \"executable file not found\" on the error channel: a MissingToolException naming it")
    void missingExecutable() {
      assertThatThrownBy(() -> shell().run(Command.of("kd-no-such-tool", "-v")))
          .isInstanceOf(MissingToolException.class)
          .hasMessageContaining("kd-no-such-tool");
    }

    @Test
    @DisplayName(
        "a pause container has no programs; a gone pod answers 404 and ExecShell asks its resolver for the replacement")
    void pauseImageAndGonePod() {
      Pod pause = pod(ns, "pause", PAUSE, null, false);
      awaitRunning(ns, "pause");
      assertThatThrownBy(
              () ->
                  new ExecShell(client, ns, pause.getMetadata().getName(), Clock.SYSTEM)
                      .run(Command.of("sh", "-c", "true")))
          .isInstanceOf(MissingToolException.class);
      ExecShell moved =
          new ExecShell(client, ns, "gone-probe", () -> Optional.of(probe), Clock.SYSTEM, null);
      assertThat(moved.run(Command.of("true")).exitCode()).isZero();
      assertThat(moved.pod()).isEqualTo(probe);
      ExecShell nowhere = new ExecShell(client, ns, "gone-probe", Clock.SYSTEM);
      assertThatThrownBy(() -> nowhere.run(Command.of("true")))
          .isInstanceOf(ShellException.class)
          .hasMessageContaining("is gone");
    }

    @Test
    @DisplayName(
        "the request line is limited like kube-apiserver's (1 MiB of headers): 100 KiB of arguments pass, 2 MiB do not")
    void urlLimit() {
      String arg = "y".repeat(100 * 1024);
      assertThat(shell().run(Command.of("sh", "-c", "echo ${#1}", "sh", arg)).stdout().strip())
          .isEqualTo(Integer.toString(arg.length()));
      String huge = "z".repeat(2 * 1024 * 1024);
      assertThatThrownBy(() -> shell().run(Command.of("echo", huge)))
          .isInstanceOf(ShellException.class);
    }
  }

  @Nested
  @DisplayName("the kubelet, Multus and the scheduler")
  class Lifecycle {
    private final String ns = namespace("life-" + System.nanoTime() % 100000, "privileged");

    @AfterEach
    void removeNamespace() {
      deleteNamespace(ns);
    }

    @Test
    @DisplayName(
        "a pod's networks are attached by the real plugins and reported as Multus writes network-status: default only on eth0, gateway only from a default route, AddedInterface per interface")
    void networkStatusAsMultusWritesIt() throws Exception {
      nad(
          ns,
          "sat-a",
          macvlan(0, "{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"fd00:10:1::/64\"}]]}"));
      nad(ns, "sat-b", macvlan(1, "{\"type\":\"whereabouts\",\"range\":\"fd00:10:2::/64\"}"));
      pod(
          ns,
          "p1",
          PAUSE,
          "[{\"name\":\"sat-a\",\"interface\":\"net1\"},{\"name\":\"sat-b\",\"interface\":\"net2\"}]",
          false);
      Pod p = awaitRunning(ns, "p1");
      JsonNode status = JSON.readTree(p.getMetadata().getAnnotations().get(Multus.NETWORK_STATUS));
      assertThat(status).hasSize(3);
      assertThat(status.get(0).path("name").asString()).isEqualTo("kd-primary");
      assertThat(status.get(0).path("interface").asString()).isEqualTo("eth0");
      assertThat(status.get(0).path("default").asBoolean()).isTrue();
      assertThat(status.get(1).path("name").asString()).isEqualTo(ns + "/sat-a");
      assertThat(status.get(1).path("interface").asString()).isEqualTo("net1");
      assertThat(status.get(1).has("default")).isFalse();
      assertThat(status.get(1).has("gateway")).isFalse();
      assertThat(status.get(1).path("ips").get(0).asString()).startsWith("fd00:10:1::");
      assertThat(status.get(2).path("mac").asString()).matches("([0-9a-f]{2}:){5}[0-9a-f]{2}");
      assertThat(events(ns, "AddedInterface"))
          .extracting(Event::getMessage)
          .anyMatch(
              m -> m.startsWith("Add net2 [fd00:10:2::") && m.endsWith("from " + ns + "/sat-b"));
      assertThat(events(ns, "Scheduled"))
          .extracting(Event::getMessage)
          .contains("Successfully assigned " + ns + "/p1 to " + sim.nodeName());
      // whereabouts' IPPool holds the allocation, with the pod as podref
      GenericKubernetesResource pool =
          client
              .genericKubernetesResources(WhereaboutsIpam.IPPOOL)
              .inNamespace("kube-system")
              .withName("fd00-10-2---64")
              .get();
      assertThat(pool.getAdditionalProperties().toString()).contains("podref=" + ns + "/p1");
    }

    @Test
    @DisplayName(
        "graceful deletion: the pod stays Terminating until its kubelet ran CNI DEL and removed the sandbox, then goes; whereabouts frees the address")
    void gracefulDeletion() {
      nad(ns, "sat-w", macvlan(0, "{\"type\":\"whereabouts\",\"range\":\"fd00:10:3::/64\"}"));
      pod(ns, "p2", PAUSE, "sat-w", false);
      awaitRunning(ns, "p2");
      client.pods().inNamespace(ns).withName("p2").withGracePeriod(5).delete();
      Pod terminating = client.pods().inNamespace(ns).withName("p2").get();
      assertThat(terminating).isNotNull();
      assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
      assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(5L);
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> client.pods().inNamespace(ns).withName("p2").get() == null);
      GenericKubernetesResource pool =
          client
              .genericKubernetesResources(WhereaboutsIpam.IPPOOL)
              .inNamespace("kube-system")
              .withName("fd00-10-3---64")
              .get();
      assertThat(pool.getAdditionalProperties().toString()).doesNotContain(ns + "/p2");
    }

    @Test
    @DisplayName(
        "a plugin that fails is FailedCreatePodSandBox in the thick plugin's words, naming the network, retried after the back-off")
    void sandboxFailure() {
      nad(
          ns,
          "broken",
          "{\"cniVersion\":\"0.3.1\",\"type\":\"macvlan\",\"master\":\"kd-no-such-nic\",\"ipam\":{\"type\":\"host-local\",\"ranges\":[[{\"subnet\":\"fd00:10:9::/64\"}]]}}");
      pod(ns, "p3", PAUSE, "broken", false);
      Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> !events(ns, "FailedCreatePodSandBox").isEmpty());
      assertThat(events(ns, "FailedCreatePodSandBox").get(0).getMessage())
          .startsWith(
              "Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox")
          .contains("plugin type=\"multus-shim\"")
          .contains("error adding container to network \"broken\"");
      assertThat(client.pods().inNamespace(ns).withName("p3").get().getStatus().getPhase())
          .isEqualTo("Pending");
    }

    @Test
    @DisplayName(
        "the kubelet refuses unsafe sysctls it does not allow (SysctlForbidden), and the scheduler places no more pods than maxPods (Too many pods)")
    void kubeletAndSchedulerLimits() {
      Pod forbidden =
          new PodBuilder(
                  new PodBuilder()
                      .withNewMetadata()
                      .withName("p4")
                      .withNamespace(ns)
                      .endMetadata()
                      .withNewSpec()
                      .withNodeSelector(Map.of(Scheduler.HOSTNAME, sim.nodeName()))
                      .withNewSecurityContext()
                      .addNewSysctl("net.core.somaxconn", "1024")
                      .endSecurityContext()
                      .addNewContainer()
                      .withName("c")
                      .withImage(PAUSE)
                      .endContainer()
                      .endSpec()
                      .build())
              .build();
      client.pods().inNamespace(ns).resource(forbidden).create();
      Pod refused =
          client
              .pods()
              .inNamespace(ns)
              .withName("p4")
              .waitUntilCondition(
                  p -> p.getStatus() != null && "Failed".equals(p.getStatus().getPhase()),
                  30,
                  TimeUnit.SECONDS);
      assertThat(refused.getStatus().getReason()).isEqualTo("SysctlForbidden");
      assertThat(refused.getStatus().getMessage())
          .isEqualTo("Pod was rejected: forbidden sysctl: \"net.core.somaxconn\" not allowlisted");
      long bound =
          client.pods().inAnyNamespace().list().getItems().stream()
              .filter(p -> sim.nodeName().equals(p.getSpec().getNodeName()))
              .filter(p -> !"Failed".equals(p.getStatus().getPhase()))
              .count();
      for (long i = bound; i <= MAX_PODS; i++) {
        pod(ns, "m" + i, PAUSE, null, false);
      }
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  client.pods().inNamespace(ns).list().getItems().stream()
                      .anyMatch(
                          p ->
                              p.getStatus() != null
                                  && p.getStatus().getConditions() != null
                                  && p.getStatus().getConditions().stream()
                                      .anyMatch(
                                          c ->
                                              "Unschedulable".equals(c.getReason())
                                                  && c.getMessage().contains("Too many pods"))));
    }
  }

  @Nested
  @DisplayName("admission")
  class Admissions {
    @Test
    @DisplayName(
        "Pod Security: a namespace without a label gets the cluster's default (baseline here), which refuses host namespaces and privileged containers in the admission's words")
    void podSecurityBaseline() {
      String ns = namespace("psa-" + System.nanoTime() % 100000, null);
      assertThatThrownBy(() -> pod(ns, "probe", PROBE, null, true))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining(
              "is forbidden: violates PodSecurity \"baseline:latest\": host namespaces (hostNetwork=true, hostPID=true)");
      deleteNamespace(ns);
    }

    @Test
    @DisplayName("a namespace being deleted takes no new pods (NamespaceLifecycle)")
    void terminatingNamespace() {
      String ns = namespace("term-" + System.nanoTime() % 100000, "privileged");
      pod(ns, "keep", PAUSE, null, false);
      awaitRunning(ns, "keep");
      client.namespaces().withName(ns).delete();
      assertThatThrownBy(() -> pod(ns, "late", PAUSE, null, false))
          .isInstanceOf(KubernetesClientException.class)
          .hasMessageContaining("because it is being terminated");
      Awaitility.await()
          .atMost(Duration.ofSeconds(90))
          .until(() -> client.namespaces().withName(ns).get() == null);
    }
  }
}
