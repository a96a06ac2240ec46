package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.targets.ScaleResult;
import io.micrometer.core.instrument.Clock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * A real pod ramp on a real API server and kubelet (K3s in Docker): pods pinned to the node, Ready
 * through informers, scaled down, and nothing left after close. Skipped with a clear reason where
 * there is no Docker daemon.
 */
@Tag("docker")
@ExtendWith(DockerAvailable.class)
class K3sRampIT {

  @Test
  @DisplayName("ramps 5 then 10 pause pods on the K3s node and removes them")
  void rampOnK3s() {
    try (K3sContainer k3s = new K3sContainer(DockerImageName.parse("rancher/k3s:v1.31.4-k3s1"))) {
      k3s.start();
      Config cfg = Config.fromKubeconfig(k3s.getKubeConfigYaml());
      try (KubernetesClient client = new KubernetesClientBuilder().withConfig(cfg).build()) {
        client
            .apiextensions()
            .v1()
            .customResourceDefinitions()
            .resource(NadCrd.definition())
            .create();
        String node = client.nodes().list().getItems().get(0).getMetadata().getName();
        Plan plan =
            PlanLoader.parse(
                String.join(
                    "\n",
                    "name: k3s",
                    "target: {type: kube, node: " + node + ", kube: {readyTimeout: 180s}}",
                    "interfacesPerPod: 0",
                    "ramp: {steps: [5, 10]}",
                    ""),
                "k3s.yaml");
        KubeNode none =
            new KubeNode() {
              public void start() {}

              public io.kdensity.probes.shell.NodeShell host() {
                throw new UnsupportedOperationException();
              }

              public PodShells pods(java.util.List<io.fabric8.kubernetes.api.model.Pod> pods) {
                return PodShells.of(java.util.Map.of());
              }

              public void close() {}
            };
        try (KubeTarget t =
            new KubeTarget(plan, client, none, "k3s001", NodeFacts.UNKNOWN, Clock.SYSTEM)) {
          t.preflight();
          t.setUp();
          ScaleResult up = t.scaleTo(10);
          assertThat(up.findings()).isEmpty();
          assertThat(up.readyMicros().getTotalCount()).isEqualTo(10);
          assertThat(t.scaleTo(5).pods()).isEqualTo(5);
        }
        assertThat(client.namespaces().withName("kdensity-k3s001").get()).isNull();
      }
    }
  }
}
