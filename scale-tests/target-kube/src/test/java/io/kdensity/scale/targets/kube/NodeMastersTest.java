package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.PreflightException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A plan written for another node names a master the node lacks; the macvlan plugin would then fail
 * every ADD ("failed to lookup master", Link not found) and the first step would look like a knee.
 */
class NodeMastersTest {
  /** {@code ip -j link show} on a node with two NIC ports and a pod's veth. */
  static final String LINKS =
      """
      [{"ifindex":1,"ifname":"lo","flags":["LOOPBACK","UP"],"mtu":65536,"operstate":"UNKNOWN","link_type":"loopback"},
       {"ifindex":2,"ifname":"ens5f0","flags":["UP"],"mtu":9000,"operstate":"UP","link_type":"ether"},
       {"ifindex":3,"ifname":"ens5f1","flags":["UP"],"mtu":9000,"operstate":"UP","link_type":"ether"},
       {"ifindex":9,"ifname":"veth1a2b3c4d","flags":["UP"],"mtu":1500,"operstate":"UP","link_type":"ether"}]
      """;

  static Attachment macvlan(String name, String master) {
    return new Attachment(
        name,
        "{\"cniVersion\":\"1.0.0\",\"name\":\""
            + name
            + "\",\"type\":\"macvlan\",\"master\":\""
            + master
            + "\",\"ipam\":{\"type\":\"static\"}}",
        1);
  }

  static Attachment conflist(String name, String master) {
    return new Attachment(
        name,
        "{\"cniVersion\":\"1.0.0\",\"name\":\""
            + name
            + "\",\"plugins\":[{\"type\":\"ipvlan\",\"master\":\""
            + master
            + "\"},{\"type\":\"tuning\"}]}",
        2);
  }

  static Attachment bridge(String name) {
    return new Attachment(
        name, "{\"cniVersion\":\"1.0.0\",\"name\":\"" + name + "\",\"type\":\"bridge\"}", 3);
  }

  @Test
  void mastersAreReadFromSingleConfigsAndConflists() {
    assertThat(
            NodeMasters.of(
                List.of(macvlan("sat-a", "ens5f0"), conflist("sat-b", "ens5f1"), bridge("br"))))
        .containsExactly(
            new NodeMasters.Named("sat-a", "ens5f0"), new NodeMasters.Named("sat-b", "ens5f1"));
  }

  @Test
  void mastersTheNodeHasPass() {
    FixtureShell node = new FixtureShell("node").command("ip -j link show", LINKS);

    assertThatCode(
            () ->
                NodeMasters.check(
                    node, List.of(macvlan("sat-a", "ens5f0"), conflist("sat-b", "ens5f1")), "w3"))
        .doesNotThrowAnyException();
  }

  @Test
  void aMissingMasterIsRefusedNamingTheNadAndTheNodesNics() {
    FixtureShell node = new FixtureShell("node").command("ip -j link show", LINKS);

    assertThatThrownBy(
            () ->
                NodeMasters.check(
                    node, List.of(macvlan("sat-a", "ens5f0"), macvlan("sat-c", "eno3")), "w3"))
        .isInstanceOf(PreflightException.class)
        .hasMessageContaining("preflight on the node failed, before the first pod")
        .hasMessageContaining(
            "NAD 'sat-c' names master \"eno3\", which node w3 does not have (its links: ens5f0,"
                + " ens5f1, lo)")
        .hasMessageNotContaining("sat-a")
        .hasMessageNotContaining("veth1a2b3c4d");
  }

  @Test
  void withoutMastersTheNodeIsNotAsked() {
    // no command answers: asking would fail
    assertThatCode(() -> NodeMasters.check(new FixtureShell("node"), List.of(bridge("br")), "w3"))
        .doesNotThrowAnyException();
  }

  @Test
  void aNodeThatCannotListItsLinksIsAnInfrastructureError() {
    FixtureShell node =
        new FixtureShell("node").command("ip -j link show", 1, "", "RTNETLINK answers: busy");

    assertThatThrownBy(() -> NodeMasters.check(node, List.of(macvlan("sat-a", "x")), "w3"))
        .isInstanceOf(InfrastructureException.class)
        .isNotInstanceOf(PreflightException.class)
        .hasMessageContaining("cannot list the links of node w3: RTNETLINK answers: busy");
  }
}
