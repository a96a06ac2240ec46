package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.targets.kube.FakeCluster;
import io.kdensity.scale.targets.kube.KubeNode;
import io.kdensity.scale.targets.kube.KubeTarget;
import io.micrometer.core.instrument.Clock;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code cleanup --kube} with two runs on one cluster: another operator's live run (its lease
 * renewed, as leader election renews a coordination.k8s.io Lease) and a crashed one (its lease
 * expired). Only the crashed run goes, unless forced.
 */
class KubeCleanupCommandTest {
  @TempDir Path dir;
  private final FakeCluster cluster = new FakeCluster(110, true).startKubelet();

  @AfterEach
  void close() {
    cluster.close();
  }

  private Path kubeconfig() throws Exception {
    return cluster.writeKubeconfig(dir.resolve("kubeconfig"));
  }

  private KubeTarget liveRun() {
    KubeNode node =
        new KubeNode() {
          public void start() {}

          public NodeShell host() {
            return new FixtureShell("node");
          }

          public PodShells pods(List<Pod> pods) {
            return PodShells.of(Map.of());
          }

          public void close() {}
        };
    KubeTarget t =
        new KubeTarget(
            PlanLoader.parse(
                "name: live\ntarget: {type: kube, node: worker-1}\nramp: {steps: [1]}\n",
                "live.yaml"),
            cluster.client,
            node,
            "aaaaaa",
            NodeFacts.UNKNOWN,
            Clock.SYSTEM);
    t.setUp();
    return t;
  }

  /** What a run killed ten minutes ago leaves: its namespace and a lease nobody renews. */
  private void crashedRun(String id) {
    String ns = "kdensity-" + id;
    cluster
        .client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(ns)
                .addToLabels("app.kubernetes.io/managed-by", "kdensity")
                .addToLabels("kdensity.io/run", id)
                .endMetadata()
                .build())
        .create();
    var tenMinutesAgo = Instant.now().minusSeconds(600).atZone(ZoneOffset.UTC);
    cluster
        .client
        .leases()
        .inNamespace(ns)
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName("kdensity-run")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity("run " + id + " by ci-runner-7, pid 4242")
                .withLeaseDurationSeconds(60)
                .withAcquireTime(tenMinutesAgo)
                .withRenewTime(tenMinutesAgo)
                .endSpec()
                .build())
        .create();
  }

  private record Result(int exit, String out) {}

  private Result cleanup(String... extra) throws Exception {
    CleanupCommand cmd = new CleanupCommand();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream was = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      List<String> args =
          new java.util.ArrayList<>(
              List.of(
                  "--kube",
                  "--kubeconfig",
                  kubeconfig().toString(),
                  "--journal-dir",
                  dir.resolve("journals").toString()));
      args.addAll(List.of(extra));
      exit = new CommandLine(cmd).execute(args.toArray(String[]::new));
    } finally {
      System.setOut(was);
    }
    return new Result(exit, out.toString(StandardCharsets.UTF_8));
  }

  private boolean exists(String ns) {
    return cluster.client.namespaces().withName(ns).get() != null;
  }

  @Test
  @DisplayName(
      "cleanup --kube removes a crashed run's namespace and leaves a live run (fresh lease) alone unless forced")
  void aLiveRunIsLeftAloneUnlessForced() throws Exception {
    try (KubeTarget live = liveRun()) {
      crashedRun("bbbbbb");

      Result all = cleanup();
      assertThat(all.exit()).isZero();
      assertThat(exists("kdensity-bbbbbb")).isFalse();
      assertThat(exists("kdensity-aaaaaa")).isTrue();
      assertThat(all.out())
          .contains("  namespace kdensity-bbbbbb")
          .containsPattern(
              "left namespace kdensity-aaaaaa alone: its lease was renewed \\d+ s ago by run"
                  + " aaaaaa by .+, pid \\d+; --force removes it")
          .contains("removed 1 kdensity namespaces");

      // asked for by id, a live run is refused with a non-zero exit
      Result one = cleanup("--run", "aaaaaa");
      assertThat(one.exit()).isEqualTo(ExitCodes.INFRASTRUCTURE);
      assertThat(exists("kdensity-aaaaaa")).isTrue();

      Result forced = cleanup("--run", "aaaaaa", "--force");
      assertThat(forced.exit()).isZero();
      assertThat(exists("kdensity-aaaaaa")).isFalse();
    }
  }
}
