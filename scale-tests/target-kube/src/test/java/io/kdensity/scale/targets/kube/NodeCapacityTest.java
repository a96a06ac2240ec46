package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Preflight for a 2,000-pod plan, judged as the components that would refuse the pods judge: the
 * kubelet's pod slots (maxPods; the run's probe pod takes one), the scheduler's fit of requests
 * against allocatable, and the primary network's per-node subnet (host-local IPAM on the node's
 * podCIDR; OVN-Kubernetes' node-subnets annotation on OpenShift).
 */
class NodeCapacityTest {

  static Node node(int pods, String cpu, String memory, List<String> podCidrs, String ovn) {
    NodeBuilder b =
        new NodeBuilder()
            .withNewMetadata()
            .withName("worker-3")
            .withAnnotations(ovn == null ? Map.of() : Map.of(NodeCapacity.OVN_NODE_SUBNETS, ovn))
            .endMetadata()
            .withNewSpec()
            .withPodCIDRs(podCidrs)
            .endSpec()
            .withNewStatus()
            .addToAllocatable("pods", new Quantity(Integer.toString(pods)))
            .addToAllocatable("cpu", new Quantity(cpu))
            .addToAllocatable("memory", new Quantity(memory))
            .endStatus();
    return b.build();
  }

  static List<Pod> pods(int n, String cpu, boolean hostNetwork) {
    return IntStream.range(0, n)
        .mapToObj(
            i ->
                new PodBuilder()
                    .withNewMetadata()
                    .withName("other-" + i)
                    .endMetadata()
                    .withNewSpec()
                    .withHostNetwork(hostNetwork)
                    .addNewContainer()
                    .withName("c")
                    .withNewResources()
                    .addToRequests("cpu", new Quantity(cpu))
                    .endResources()
                    .endContainer()
                    .endSpec()
                    .build())
        .toList();
  }

  @Test
  void aNodeReadyForTwoThousandPodsPasses() {
    NodeCapacity c =
        NodeCapacity.of(
            node(2500, "16", "64Gi", List.of("10.244.0.0/20", "fd00:244::/64"), null),
            pods(10, "100m", false),
            2000,
            false);

    assertThat(c.missing()).isEmpty();
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void theProbePodTakesASlot() {
    // 2,000 slots, nothing running: 2,000 pods and the probe do not fit
    NodeCapacity c =
        NodeCapacity.of(node(2000, "16", "64Gi", List.of(), null), List.of(), 2000, false);

    assertThat(c.missing())
        .singleElement()
        .asString()
        .contains("admits 2000 pods", "so 2000 more fit", "2000 pods plus kdensity's probe pod")
        .contains("restart kubelet");
  }

  @Test
  void onOpenShiftMaxPodsIsRaisedThroughAKubeletConfig() {
    NodeCapacity c =
        NodeCapacity.of(node(250, "16", "64Gi", List.of(), null), List.of(), 2000, true);

    assertThat(c.missing())
        .singleElement()
        .asString()
        .contains("KubeletConfig for the node's MachineConfigPool")
        .doesNotContain("restart kubelet");
  }

  @Test
  void requestsOfThePodsAlreadyThereCountAgainstAllocatable() {
    // 2 CPUs allocatable, 1.9 requested already; 2,000 pods at 1m + the probe at 100m need 2.1
    NodeCapacity c =
        NodeCapacity.of(
            node(2500, "2", "64Gi", List.of(), null), pods(19, "100m", true), 2000, false);

    assertThat(c.missing())
        .singleElement()
        .asString()
        .contains("has 100m cpu allocatable left", "request 2100m");
  }

  @Test
  void memoryIsCheckedToo() {
    // 2,000 x 4Mi + 64Mi = 8,064 MiB: fits in 8 GiB, not in 7
    assertThat(
            NodeCapacity.of(node(2500, "16", "8Gi", List.of(), null), List.of(), 2000, false)
                .missing())
        .isEmpty();
    assertThat(
            NodeCapacity.of(node(2500, "16", "7Gi", List.of(), null), List.of(), 2000, false)
                .missing())
        .singleElement()
        .asString()
        .contains("has 7168 MiB memory allocatable left", "request 8064 MiB");
  }

  @Test
  void aSlash24PodSubnetWarnsBecauseOnlyHostLocalAllocatesFromIt() {
    NodeCapacity c =
        NodeCapacity.of(
            node(2500, "16", "64Gi", List.of("10.244.3.0/24", "fd00:244::/64"), null),
            pods(4, "1m", false),
            2000,
            false);

    assertThat(c.missing()).isEmpty();
    assertThat(c.warnings())
        .singleElement()
        .asString()
        .contains(
            "10.244.3.0/24 (254 host addresses), 4 of them in use", "no IP addresses available");
  }

  @Test
  void hostNetworkPodsTakeNoPodAddress() {
    // 250 pods to come + 4 on the host network: all fit in a /24
    NodeCapacity c =
        NodeCapacity.of(
            node(2500, "16", "64Gi", List.of("10.244.3.0/24"), null),
            pods(4, "1m", true),
            250,
            false);

    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void ovnKubernetesNodeSubnetIsAHardLimit() {
    NodeCapacity c =
        NodeCapacity.of(
            node(2500, "16", "64Gi", List.of(), "{\"default\":[\"10.128.2.0/23\"]}"),
            pods(30, "1m", false),
            2000,
            true);

    assertThat(c.missing())
        .singleElement()
        .asString()
        .contains("OVN-Kubernetes subnet 10.128.2.0/23 (510 host addresses), 30 of them in use");
  }

  @ParameterizedTest(name = "{0} holds {1} host addresses")
  @CsvSource({
    "10.244.3.0/24, 254",
    "10.128.2.0/23, 510",
    "198.18.0.0/30, 2",
    "fd00:244::/120, 256",
  })
  void hostsOfASubnet(String cidr, long hosts) {
    assertThat(NodeCapacity.hosts(cidr)).isEqualTo(BigInteger.valueOf(hosts));
  }
}
