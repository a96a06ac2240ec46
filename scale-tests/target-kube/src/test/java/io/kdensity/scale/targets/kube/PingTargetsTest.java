package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PingTargetsTest {
  /** A pod as Multus leaves it: eth0 (default) and net1 on sat-a, in network-status. */
  private static Pod pod(int n) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("p" + n)
        .addToAnnotations(
            KubeLabels.NETWORK_STATUS,
            "[{\"name\":\"k8s-pod-network\",\"interface\":\"eth0\",\"ips\":[\"10.0.0."
                + n
                + "\"],\"default\":true},"
                + "{\"name\":\"ns/sat-a\",\"interface\":\"net1\",\"ips\":[\"fd00:10:1::"
                + n
                + "\"]}]")
        .endMetadata()
        .build();
  }

  private final List<Pod> pods = List.of(pod(1), pod(2), pod(3), pod(4));

  @Test
  @DisplayName(
      "without a gateway each pod pings the next pod on the network; with peers: 2 its next two, never the default network")
  void peersOnEachSecondaryNetwork() {
    Map<Pod, Map<String, List<String>>> one = PingTargets.of(pods, Map.of(), 0);
    assertThat(one.get(pods.get(3))).containsOnlyKeys("fd00:10:1::1");

    Map<Pod, Map<String, List<String>>> two = PingTargets.of(pods, Map.of(), 2);
    assertThat(two.get(pods.get(0))).containsOnlyKeys("fd00:10:1::2", "fd00:10:1::3");
    assertThat(two.get(pods.get(3)))
        .containsOnlyKeys("fd00:10:1::1", "fd00:10:1::2")
        .containsEntry("fd00:10:1::1", List.of("fd00:10:1::4"));
  }

  @Test
  @DisplayName("with a gateway from the IPAM config: the gateway, plus the peers when asked")
  void gatewayAndPeers() {
    Map<String, List<String>> gw = Map.of("sat-a", List.of("fd00:10:1::fe"));
    assertThat(PingTargets.of(pods, gw, 0).get(pods.get(1))).containsOnlyKeys("fd00:10:1::fe");
    assertThat(PingTargets.of(pods, gw, 1).get(pods.get(1)))
        .containsOnlyKeys("fd00:10:1::fe", "fd00:10:1::3");
  }
}
