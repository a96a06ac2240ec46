package io.kdensity.tuning.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.config.yaml.Yaml;
import io.kdensity.tuning.profile.Profile;
import io.kdensity.tuning.profile.ProfileLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProfileExporterTest {
  private final Profile dense = new ProfileLoader(List.of()).load("dense-ipv6");

  @Test
  void sysctlDropIn() {
    String s = ProfileExporter.sysctlD(dense);
    assertThat(s)
        .contains(
            "net.ipv6.neigh.default.gc_thresh3 = 65536\n",
            "# per-pod sysctls",
            "#   net.ipv6.conf.default.accept_dad = 0",
            "# advisory, not applied:");
  }

  @Test
  void tunedProfile() {
    String s = ProfileExporter.tuned(dense);
    assertThat(s).contains("[main]\n", "[sysctl]\n", "net.core.netdev_max_backlog=16384\n");
  }

  @Test
  void ntoTunedCustomResourceIsYaml() {
    String s = ProfileExporter.nto(dense);
    var root = (io.kdensity.config.yaml.YNode.YMap) Yaml.parse(s, "tuned.yaml");
    assertThat(((io.kdensity.config.yaml.YNode.YScalar) root.get("kind")).value())
        .isEqualTo("Tuned");
    assertThat(s)
        .contains(
            "apiVersion: tuned.openshift.io/v1", "      net.ipv6.neigh.default.gc_thresh3=65536");
  }
}
