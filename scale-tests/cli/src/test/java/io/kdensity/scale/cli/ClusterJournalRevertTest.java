package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.targets.kube.FakeCluster;
import io.kdensity.scale.targets.kube.JournalNodes;
import io.kdensity.scale.targets.kube.KubeNode;
import io.kdensity.scale.targets.kube.KubeTarget;
import io.kdensity.scale.targets.kube.RestorePod;
import io.kdensity.scale.targets.kube.RootNamespace;
import io.kdensity.tuning.apply.Journal;
import io.kdensity.tuning.apply.JournalTarget;
import io.kdensity.tuning.apply.ProfileApplier;
import io.kdensity.tuning.profile.ProfileLoader;
import io.micrometer.core.instrument.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A cluster run killed between applying a profile and restoring it (issue 13, item 1). Models: the
 * node's {@code net.*} sysctls live in its root network namespace, which a privileged hostNetwork
 * pod reaches (what the probe DaemonSet and the restore pod use); the kubelet runs a hostNetwork
 * pod without any CNI call.
 */
class ClusterJournalRevertTest {
  private static final String GC_THRESH3 = "/proc/sys/net/ipv6/neigh/default/gc_thresh3";

  @TempDir Path dir;
  private final FakeCluster cluster = new FakeCluster(110, true).startKubelet();

  /** The cluster node's kernel: only reachable through a pod on that node. */
  /** The restore pod's shell: hostNetwork, so in the node's root namespace (PID 1's). */
  private final FixtureShell nodeKernel =
      new FixtureShell("worker-1 root namespace")
          .file(GC_THRESH3, "1024\n")
          .command("sh -c " + RootNamespace.SCRIPT, "1 net:[4026531840] net:[4026531840]\n");

  @AfterEach
  void close() {
    cluster.close();
  }

  private Plan plan() {
    return PlanLoader.parse(
        String.join(
            "\n",
            "name: kube-revert",
            "target:",
            "  type: kube",
            "  node: worker-1",
            "  kube: {kubeconfig: lab.kubeconfig, context: lab}",
            "ramp: {steps: [1]}",
            ""),
        "kube-revert.yaml");
  }

  private KubeNode node() {
    return new KubeNode() {
      public void start() {}

      public NodeShell host() {
        return nodeKernel;
      }

      public PodShells pods(List<Pod> pods) {
        return PodShells.of(Map.of());
      }

      public void close() {}
    };
  }

  @Test
  @DisplayName(
      "a cluster run's journal names its node; `profile revert` restores it there through a privileged restore pod, then removes the pod")
  void aKilledClusterRunIsRestoredOnItsNode() throws Exception {
    Path journals = dir.resolve("journals");
    Path profile =
        Files.writeString(
            dir.resolve("wide.yaml"),
            "name: wide\nsysctl:\n  net.ipv6.neigh.default.gc_thresh3: 16384\n");
    // the run: applies through the target's node access, then is killed (no revert, no teardown)
    try (KubeTarget run =
        new KubeTarget(plan(), cluster.client, node(), "abc123", NodeFacts.UNKNOWN, Clock.SYSTEM)) {
      new ProfileApplier(run.nodeAccess(), journals, Clock.SYSTEM, ProfileApplier.Listener.NONE)
          .apply(new ProfileLoader(List.of()).load(profile.toString()));
    }
    assertThat(nodeKernel.readFile(GC_THRESH3)).isEqualTo("16384\n");
    Path journal = Journal.pending(journals).get(0);
    JournalTarget written = Journal.read(journal).target();
    assertThat(written.kind()).isEqualTo(JournalTarget.Kind.CLUSTER);
    assertThat(written.node()).isEqualTo("worker-1");
    assertThat(written.context()).isEqualTo("lab");
    assertThat(written.kubeconfig()).startsWith("/").endsWith("/lab.kubeconfig");
    String server = cluster.client.getMasterUrl().toString().replaceFirst("/$", "");
    assertThat(written.server()).isEqualTo(server);
    assertThat(written.nodeUid())
        .isNotBlank()
        .isEqualTo(cluster.client.nodes().withName("worker-1").get().getMetadata().getUid());
    // the process that wrote it is gone: a crashed run's leftover
    Journal j = Journal.read(journal);
    new Journal(j.profile(), j.startedAt(), 999_999_999L, j.target(), j.entries()).write(journal);

    AtomicReference<Pod> restorePod = new AtomicReference<>();
    AtomicReference<Map<String, String>> nsLabels = new AtomicReference<>();
    ProfileCommand.Revert revert = new ProfileCommand.Revert();
    revert.nodes =
        target -> {
          RestorePod pod =
              RestorePod.start(
                  cluster.client,
                  target,
                  "registry.example/kdensity-probe:1",
                  Duration.ofSeconds(10),
                  p -> {
                    restorePod.set(p);
                    nsLabels.set(
                        cluster
                            .client
                            .namespaces()
                            .withName(p.getMetadata().getNamespace())
                            .get()
                            .getMetadata()
                            .getLabels());
                    return nodeKernel;
                  },
                  Clock.SYSTEM);
          return new JournalNodes.Reached(pod.access(), pod::close);
        };
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream was = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      exit = new CommandLine(revert).execute("--journal-dir", journals.toString());
    } finally {
      System.setOut(was);
    }

    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("restoring " + journal + " on node worker-1 of " + server + " (context lab)")
        .contains("restored every value of " + journal);
    assertThat(nodeKernel.readFile(GC_THRESH3)).isEqualTo("1024\n");
    assertThat(Files.exists(journal)).isFalse();
    Pod p = restorePod.get();
    assertThat(p.getSpec().getHostNetwork()).isTrue();
    assertThat(p.getSpec().getContainers().get(0).getSecurityContext().getPrivileged()).isTrue();
    assertThat(p.getSpec().getNodeName()).isEqualTo("worker-1");
    assertThat(FakeCluster.pinning(p).get(0).getValues()).containsExactly("worker-1");
    // its namespace admits privileged pods under Pod Security, and is gone afterwards
    String ns = p.getMetadata().getNamespace();
    assertThat(ns).startsWith("kdensity-restore-");
    assertThat(nsLabels.get()).containsEntry("pod-security.kubernetes.io/enforce", "privileged");
    assertThat(cluster.client.namespaces().withName(ns).get()).isNull();
  }
}
