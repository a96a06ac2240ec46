package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The kubelet's safe sysctls grew release by release (pkg/kubelet/sysctl/safe_sysctls.go): a
 * profile's tcp_rmem is refused as unsafe by a 1.31 kubelet that does not list it in
 * allowedUnsafeSysctls, and admitted by 1.32 without configuration.
 */
class KubeletSysctlsTest {

  @ParameterizedTest(name = "kubelet {0}: {1} is unsafe: {2}")
  @CsvSource({
    "v1.31.4,      net.ipv4.tcp_rmem,                 true",
    "v1.32.0,      net.ipv4.tcp_rmem,                 false",
    "v1.30.2+k3s1, net.ipv4.tcp_wmem,                 true",
    "v1.28.9,      net.ipv4.tcp_keepalive_time,       true",
    "v1.29.0,      net.ipv4.tcp_keepalive_time,       false",
    "v1.26.1,      net.ipv4.ip_local_reserved_ports,  true",
    "v1.27.0,      net.ipv4.ip_local_reserved_ports,  false",
    "v1.18.0,      net.ipv4.ip_local_port_range,      false",
    "v1.33.0,      net.ipv6.neigh.default.gc_thresh3, true",
    "'',           net.ipv4.tcp_rmem,                 false",
  })
  void safeByKubeletVersion(String version, String sysctl, boolean unsafe) {
    assertThat(KubeletSysctls.unsafe(List.of(sysctl), version).contains(sysctl)).isEqualTo(unsafe);
  }

  @ParameterizedTest(name = "kubelet {0} allowing {1}: {2} forbidden")
  @CsvSource({
    "v1.31.4, net.*,       ''",
    "v1.31.4, net.ipv6.*,  net.ipv4.tcp_rmem",
    "v1.32.0, net.ipv6.*,  ''",
  })
  void forbiddenByVersionAndAllowList(String version, String allowed, String forbidden) {
    assertThat(
            new KubeletSysctls(List.of(allowed))
                .forbidden(List.of("net.ipv4.tcp_rmem", "net.ipv6.conf.all.accept_dad"), version))
        .isEqualTo(forbidden.isEmpty() ? List.of() : List.of(forbidden));
  }
}
