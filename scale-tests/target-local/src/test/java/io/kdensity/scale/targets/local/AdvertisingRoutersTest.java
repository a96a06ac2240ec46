package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class AdvertisingRoutersTest {
  @Test
  @DisplayName(
      "the advertised prefixes are the IPv6 gateways' networks, once each; IPv4 gateways advertise nothing")
  void prefixesOfTheGateways() {
    assertThat(
            AdvertisingRouters.prefixes(
                List.of("fd00:10:1::1/64", "198.18.1.1/24", "fd00:10:1::2/64", "fd00:20::1/80")))
        .containsExactly("fd00:10:1::/64", "fd00:20::/80");
  }

  @Test
  @DisplayName(
      "radvd's configuration: one interface block per switch, on-link prefixes without SLAAC, solicited advertisements to all nodes")
  void configuration() {
    assertThat(
            AdvertisingRouters.config(
                Map.of("kd-abcdef-tor0", List.of("fd00:10:1::/64", "fd00:10:9::/64"))))
        .isEqualTo(
            """
            # written by kdensity for one run
            interface kd-abcdef-tor0 {
              AdvSendAdvert on;
              AdvSourceLLAddress on;
              AdvRASolicitedUnicast off;
              prefix fd00:10:1::/64 { AdvOnLink on; AdvAutonomous off; };
              prefix fd00:10:9::/64 { AdvOnLink on; AdvAutonomous off; };
            };
            """);
  }
}
