package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.StepProbes;
import io.kdensity.probes.shell.NodeShell;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays a bundle {@code kdensity doctor --kube} wrote: the canary's pods and Node as the API
 * served them, and the node's answers to every exec, through the same code that builds the probe
 * scope on a cluster and the same probes. A bundle from a user's cluster goes into {@code
 * scale-tests/target-kube/src/test/resources/doctor/<name>/} and this test holds kdensity's parsers
 * to that node's tools. When kdensity changes what it asks a node, the test names the command;
 * record the bundle again ({@code ./kdensity sim-cluster … &} then {@code ./kdensity doctor --kube
 * --plan scale-tests/plans/cluster-smoke.yaml --out …}).
 */
class DoctorBundleReplayTest {

  @ParameterizedTest(name = "bundle {0}")
  @ValueSource(strings = {"sim-cluster"})
  void theRecordedNodeIsProbedWithoutErrors(String bundle) throws Exception {
    Path dir = Path.of("target-kube/src/test/resources/doctor").resolve(bundle);
    assertThat(Files.readString(dir.resolve("checks.json"))).doesNotContain("\"ok\" : false");
    TranscriptShell probe = new TranscriptShell(dir.resolve("exec.jsonl"));
    Node node = Serialization.unmarshal(Files.readString(dir.resolve("api/node.json")), Node.class);
    List<Pod> canary =
        Serialization.unmarshal(
                Files.readString(dir.resolve("api/pods.json")), KubernetesList.class)
            .getItems()
            .stream()
            .map(Pod.class::cast)
            .filter(
                p -> KubeLabels.ROLE_POD.equals(p.getMetadata().getLabels().get(KubeLabels.ROLE)))
            .toList();
    assertThat(canary).hasSize(1);
    NodeShell root = RootNamespace.of(probe);
    KubeNode recorded =
        new KubeNode() {
          public void start() {}

          public NodeShell host() {
            return root;
          }

          public NodeShell nodeNamespace() {
            return probe;
          }

          public List<NodeShell> outsideNode() {
            return DaemonSetNode.outside(node, probe);
          }

          public PodShells pods(List<Pod> pods) {
            return DaemonSetNode.podShells(probe, pods);
          }

          public void close() {}
        };

    ProbeScope scope = KubeTarget.scopeOf(recorded, canary, p -> 0, NodeFacts.UNKNOWN);
    StepProbes step;
    try (ProbeRunner probes =
        new ProbeRunner(
            DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT), Clock.SYSTEM, 1)) {
      step = probes.evaluate(probes.snapshot(scope), probes.snapshot(scope), scope);
    }

    assertThat(scope.uninspected()).isEmpty();
    assertThat(scope.pods()).singleElement().satisfies(p -> assertThat(p.interfaces()).hasSize(2));
    assertThat(step.errors()).isEmpty();
    assertThat(step.results())
        .hasSize(DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT).probes().size());
    assertThat(step.metrics())
        .containsEntry("neigh.v6.gc_thresh3", 1024.0)
        .containsEntry("ip.expected", 2.0)
        .containsEntry("ip.present", 2.0)
        .containsEntry("ip.lost", 0.0);
  }
}
