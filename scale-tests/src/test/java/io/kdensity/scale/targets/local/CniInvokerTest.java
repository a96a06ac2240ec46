package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class CniInvokerTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void fixedIpsGoIntoRuntimeConfigOnlyWhenTheConfigDeclaresTheCapability() {
    String declares =
        "{\"type\":\"macvlan\",\"capabilities\":{\"ips\":true},\"ipam\":{\"type\":\"static\"}}";
    assertThat(CniInvoker.withIps(JSON.readTree(declares), List.of("fd00:10:2::2/64"), declares))
        .isEqualTo(
            "{\"type\":\"macvlan\",\"capabilities\":{\"ips\":true},\"ipam\":{\"type\":\"static\"},"
                + "\"runtimeConfig\":{\"ips\":[\"fd00:10:2::2/64\"]}}");
    String silent = "{\"type\":\"macvlan\",\"ipam\":{\"type\":\"static\"}}";
    assertThat(CniInvoker.withIps(JSON.readTree(silent), List.of("fd00:10:2::2/64"), silent))
        .isSameAs(silent);
    assertThat(CniInvoker.withIps(JSON.readTree(declares), List.of(), declares)).isSameAs(declares);
  }

  @Test
  void eth0GetsItsFixedAddressAndTheSubnetsFirstHostAsGatewayInTheStaticConfig() {
    assertThat(
            CniInvoker.withStaticAddresses(
                "{\"type\":\"ptp\",\"ipam\":{\"type\":\"static\"}}",
                List.of("fd00:100::7d1/64", "198.18.7.209/16"),
                List.of("fd00:100::1", "198.18.0.1")))
        .isEqualTo(
            "{\"type\":\"ptp\",\"ipam\":{\"type\":\"static\",\"addresses\":["
                + "{\"address\":\"fd00:100::7d1/64\",\"gateway\":\"fd00:100::1\"},"
                + "{\"address\":\"198.18.7.209/16\",\"gateway\":\"198.18.0.1\"}]}}");
  }
}
