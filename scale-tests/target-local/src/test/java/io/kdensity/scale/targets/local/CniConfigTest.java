package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CniConfigTest {

  @Test
  void fixedIpsGoIntoRuntimeConfigOnlyWhenTheConfigDeclaresTheCapability() {
    CniConfig declares =
        CniConfig.parse(
            "{\"type\":\"macvlan\",\"capabilities\":{\"ips\":true},\"ipam\":{\"type\":\"static\"}}");
    assertThat(declares.withRuntimeIps(List.of("fd00:10:2::2/64")).text())
        .isEqualTo(
            "{\"type\":\"macvlan\",\"capabilities\":{\"ips\":true},\"ipam\":{\"type\":\"static\"},"
                + "\"runtimeConfig\":{\"ips\":[\"fd00:10:2::2/64\"]}}");
    CniConfig silent = CniConfig.parse("{\"type\":\"macvlan\",\"ipam\":{\"type\":\"static\"}}");
    assertThat(silent.withRuntimeIps(List.of("fd00:10:2::2/64"))).isSameAs(silent);
    assertThat(declares.withRuntimeIps(List.of())).isSameAs(declares);
    // the parsed original is never changed by a pod's variant
    assertThat(declares.text()).doesNotContain("runtimeConfig");
  }

  @Test
  void eth0GetsItsFixedAddressAndTheSubnetsFirstHostAsGatewayInTheStaticConfig() {
    assertThat(
            CniConfig.parse("{\"type\":\"ptp\",\"ipam\":{\"type\":\"static\"}}")
                .withStaticAddresses(
                    List.of("fd00:100::7d1/64", "198.18.7.209/16"),
                    List.of("fd00:100::1", "198.18.0.1"))
                .text())
        .isEqualTo(
            "{\"type\":\"ptp\",\"ipam\":{\"type\":\"static\",\"addresses\":["
                + "{\"address\":\"fd00:100::7d1/64\",\"gateway\":\"fd00:100::1\"},"
                + "{\"address\":\"198.18.7.209/16\",\"gateway\":\"198.18.0.1\"}]}}");
  }
}
