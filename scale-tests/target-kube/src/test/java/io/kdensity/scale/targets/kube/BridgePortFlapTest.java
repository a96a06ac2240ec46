package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.targets.FlapResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A node link is set down only when the pod's interface and a port of the NAD's bridge name each
 * other as veth peers in other namespaces, and the port is up; every other case is a note.
 */
class BridgePortFlapTest {
  private static final String POD = "kd-r1-p00001";
  private static final String LIST_PORTS = "ip -j link show master br-sat type veth";

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # case                                  | pod net1 (ifindex,link_index,link_netnsid) | node port (ifindex,link_index,link_netnsid,flags) | flapped | note
          both ends name each other               | 3,57,0                                     | 57,3,4,UP                                         | 1       |
          pod veth's peer in the pod's namespace  | 3,57,-1                                    | 57,3,4,UP                                         | 0       | net1 of pod kd-r1-p00001 (sat-a) not flapped: its veth peer is not in another namespace
          node port 57 peers with another ifindex | 3,57,0                                     | 57,4,4,UP                                         | 0       | net1 of pod kd-r1-p00001 (sat-a) not flapped: no veth port of br-sat that is up has ifindex 57 with the pod interface (3) as its peer
          no port 57 on the bridge                | 3,57,0                                     | 58,3,4,UP                                         | 0       | net1 of pod kd-r1-p00001 (sat-a) not flapped: no veth port of br-sat that is up has ifindex 57 with the pod interface (3) as its peer
          port 57 already down                    | 3,57,0                                     | 57,3,4,                                           | 0       | net1 of pod kd-r1-p00001 (sat-a) not flapped: no veth port of br-sat that is up has ifindex 57 with the pod interface (3) as its peer
          net1 is not a veth in the pod           | ,,                                         | 57,3,4,UP                                         | 0       | net1 of pod kd-r1-p00001 (sat-a) not flapped: it is not a veth in the pod
          bridge br-sat not on the node           | 3,57,0                                     | ,,,                                               | 0       | cannot list the veth ports of br-sat in fixture node: Error: argument "br-sat" is wrong: Device does not exist
          """)
  void setsALinkDownOnlyWhenBothEndsAgree(
      String what, String podEnd, String nodeEnd, int flapped, String note) {
    FixtureShell host = new FixtureShell("node").command("ip -force -batch -", "");
    String[] n = nodeEnd.split(",", -1);
    if (n[0].isEmpty()) {
      host.command(
          LIST_PORTS, 255, "", "Error: argument \"br-sat\" is wrong: Device does not exist\n");
    } else {
      host.command(LIST_PORTS, "[" + link("veth1a2b3c4d", n[0], n[1], n[2], n[3], "br-sat") + "]");
    }
    String[] p = podEnd.split(",", -1);
    FixtureShell pod =
        new FixtureShell(POD)
            .command(
                "ip -j link show type veth",
                p[0].isEmpty() ? "[]" : "[" + link("net1", p[0], p[1], p[2], "UP", null) + "]");
    FlapResult r =
        new BridgePortFlap(node(host, pod), List.of(bridge()))
            .flap(List.of(pod()), 1, Duration.ZERO, 1);
    assertThat(r.flapped()).as(what).isEqualTo(flapped);
    assertThat(r.notes()).as(what).isEqualTo(note == null ? List.of() : List.of(note));
    // the node's links are only set down and up when a port was found, and always both
    assertThat(host.calls().stream().filter(c -> c.startsWith("ip -force")).count())
        .as(what)
        .isEqualTo(flapped == 0 ? 0 : 2);
  }

  private static Attachment bridge() {
    return new Attachment(
        "sat-a",
        "{\"type\":\"bridge\",\"bridge\":\"br-sat\",\"ipam\":{\"type\":\"whereabouts\"}}",
        1);
  }

  /** A pod with net1 on sat-a, as Multus reports it. */
  private static Pod pod() {
    return new PodBuilder()
        .withNewMetadata()
        .withName(POD)
        .withUid("u1")
        .addToAnnotations(
            KubeLabels.NETWORK_STATUS,
            "[{\"name\":\"k8s-pod-network\",\"interface\":\"eth0\",\"ips\":[\"fd00:100::1\"],"
                + "\"default\":true},{\"name\":\"kdensity-r1/sat-a\",\"interface\":\"net1\","
                + "\"ips\":[\"fd00:10:1::2\"]}]")
        .endMetadata()
        .build();
  }

  private static KubeNode node(NodeShell host, NodeShell pod) {
    return new KubeNode() {
      public void start() {}

      public NodeShell host() {
        return host;
      }

      public PodShells pods(List<Pod> pods) {
        return PodShells.of(Map.of(POD, pod));
      }

      public void close() {}
    };
  }

  /**
   * A veth end from the table's columns: ifindex, link_index, link_netnsid (-1: none), UP or not.
   */
  private static String link(
      String name, String index, String peer, String nsid, String flags, String master) {
    boolean up = flags.equals("UP");
    return FakeNodeLinks.link(
        Integer.parseInt(index),
        name,
        Integer.parseInt(peer),
        Integer.parseInt(nsid),
        master,
        up,
        up);
  }
}
