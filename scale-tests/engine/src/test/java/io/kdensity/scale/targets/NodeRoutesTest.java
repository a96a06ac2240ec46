package io.kdensity.scale.targets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.parse.ParseException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NodeRoutesTest {
  /**
   * {@code ip -j route show table all} in a namespace with bridge br9 and its veth port va, both up
   * (iproute2 6.1, Linux 6.18): two prefix routes in main, four in local.
   */
  private static final String BRIDGE_AND_PORT =
      """
      [{"dst":"fe80::/64","dev":"br9","protocol":"kernel","metric":256,"flags":[],"pref":"medium"},
       {"dst":"fe80::/64","dev":"va","protocol":"kernel","metric":256,"flags":[],"pref":"medium"},
       {"type":"local","dst":"fe80::6c2e:14ff:fe4e:8a10","dev":"va","table":"local","protocol":"kernel","metric":0,"flags":[],"pref":"medium"},
       {"type":"local","dst":"fe80::f0a5:9dff:fe1c:3b2e","dev":"br9","table":"local","protocol":"kernel","metric":0,"flags":[],"pref":"medium"},
       {"type":"multicast","dst":"ff00::/8","dev":"br9","table":"local","protocol":"kernel","metric":256,"flags":[],"pref":"medium"},
       {"type":"multicast","dst":"ff00::/8","dev":"va","table":"local","protocol":"kernel","metric":256,"flags":[],"pref":"medium"}]
      """;

  @Test
  @DisplayName("counts routes outside the local table, whose address routes lag a flap's DAD")
  void countsRoutesOutsideTheLocalTable() {
    assertThat(NodeRoutes.count(BRIDGE_AND_PORT, "ip -j route")).isEqualTo(2);
    assertThat(NodeRoutes.count("[]", "ip -j route")).isZero();
    assertThat(
            NodeRoutes.count(
                "[{\"dst\":\"fd00:1::/64\",\"dev\":\"br9\",\"table\":\"100\"}]", "ip -j route"))
        .isEqualTo(1);
  }

  @Test
  void badOutputNamesTheCommand() {
    assertThatThrownBy(() -> NodeRoutes.count("Error: ipv6 disabled", "ip -j route in kd-x-node"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("ip -j route in kd-x-node");
  }
}
