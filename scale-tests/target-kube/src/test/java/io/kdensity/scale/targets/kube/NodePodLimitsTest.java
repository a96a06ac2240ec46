package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.reports.model.Prediction.Headroom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The node's limits on its pods as the capacity model takes them: the kubelet's pod slots and the
 * scheduler's fit of requests, against what others already run there; the run's own pods (its
 * label) are not others.
 */
class NodePodLimitsTest {

  @Test
  @DisplayName(
      "110 slots, 5 others, 2 of the run's own: pod 105 is refused, long before CPU or memory")
  void limitsAsATable() {
    List<Pod> present = new ArrayList<>(NodeCapacityTest.pods(5, "100m", false));
    for (int i = 0; i < 2; i++) {
      present.add(
          new PodBuilder(NodeCapacityTest.pods(1, "1m", false).get(0))
              .editMetadata()
              .withName("kd-run-" + i)
              .addToLabels(KubeLabels.RUN, "r1")
              .endMetadata()
              .build());
    }
    List<Headroom> limits =
        NodePodLimits.of(
            NodeCapacityTest.node(110, "2", "8Gi", List.of(), null), present, "r1", 200);
    // limit,                size,   need at 200,  breaks at
    assertThat(limits)
        .extracting(
            Headroom::limit,
            Headroom::code,
            Headroom::size,
            Headroom::steadyNeed,
            Headroom::breaksFrom)
        .containsExactly(
            // 5 others + the probe pod + 200
            tuple("kubelet pod slots (maxPods)", FindingCode.ATTACH_FAILED, 110L, 206L, 105),
            // 2,000m less 5 × 100m and the probe pod's 100m leaves 1,400 pods of 1m
            tuple(
                "cpu requests against the node's allocatable",
                FindingCode.ATTACH_FAILED,
                2000L,
                800L,
                1401),
            // 8,192 MiB less the probe pod's 64 leaves 2,032 pods of 4 MiB
            tuple(
                "memory requests against the node's allocatable",
                FindingCode.ATTACH_FAILED,
                8192L,
                864L,
                2033));
    assertThat(limits.get(0).basis())
        .isEqualTo(
            "the node admits 110 pods (allocatable pods: the kubelet's maxPods); 5 of others run"
                + " there and kdensity's probe pod takes one, so pod 105 of the run is refused"
                + " (OutOfpods; the scheduler leaves it Pending: Too many pods)");
  }

  @Test
  @DisplayName("OpenShift: a /23 of OVN-Kubernetes holds 510 pod addresses, 10 of them others'")
  void ovnSubnet() {
    List<Pod> others = new ArrayList<>(NodeCapacityTest.pods(10, "10m", false));
    others.addAll(NodeCapacityTest.pods(3, "10m", true)); // on the host network: no address
    List<Headroom> limits =
        NodePodLimits.of(
            NodeCapacityTest.node(
                2500, "16", "64Gi", List.of(), "{\"default\":[\"10.128.2.0/23\"]}"),
            others,
            "r1",
            2000);
    Headroom ovn = limits.get(limits.size() - 1);
    assertThat(ovn.limit())
        .isEqualTo("pod addresses of the node's OVN-Kubernetes subnet 10.128.2.0/23");
    assertThat(ovn.size()).isEqualTo(510);
    assertThat(ovn.steadyNeed()).isEqualTo(2010);
    assertThat(ovn.breaksFrom()).isEqualTo(501);
    // and it is the first of the node's limits to break
    assertThat(limits.stream().mapToInt(Headroom::breaksFrom).min()).hasValue(501);
  }

  @Test
  @DisplayName("a node that reports no allocatable gives no limit")
  void nothingReported() {
    var bare =
        new io.fabric8.kubernetes.api.model.NodeBuilder()
            .withNewMetadata()
            .withName("n")
            .endMetadata()
            .build();
    assertThat(NodePodLimits.of(bare, List.of(), "r1", 200)).isEmpty();
  }
}
