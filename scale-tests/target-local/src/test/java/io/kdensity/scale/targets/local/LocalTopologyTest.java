package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LocalTopologyTest {
  @ParameterizedTest(name = "{0} → {1}")
  @DisplayName("the router pins a pod's link-local address as the kernel derives it (EUI-64)")
  @CsvSource({
    // MAC, link-local the kernel gave it (captured from a run's fabric: `ip -6 neigh`)
    "de:5b:8a:13:ba:ef, fe80::dc5b:8aff:fe13:baef",
    "0a:dd:b3:c5:59:37, fe80::8dd:b3ff:fec5:5937",
    "52:67:0c:1a:4e:80, fe80::5067:cff:fe1a:4e80",
  })
  void linkLocalIsEui64(String mac, String linkLocal) {
    assertThat(LocalTopology.linkLocal(mac)).isEqualTo(linkLocal);
  }

  @org.junit.jupiter.api.Test
  void aMalformedMacFromAPluginIsNamed() {
    assertThatThrownBy(() -> LocalTopology.linkLocal("not-a-mac"))
        .hasMessage("not a MAC address: not-a-mac");
  }
}
