package io.kdensity.probes.sysctl;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.probes.shell.ShellException;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SysctlTest {

  @Test
  void keysMapToProcSysPaths() {
    assertThat(new Sysctl("net.ipv6.neigh.default.gc_thresh3").path())
        .isEqualTo("/proc/sys/net/ipv6/neigh/default/gc_thresh3");
    assertThat(new Sysctl("net/ipv6/conf/eth0.100/accept_dad").path())
        .isEqualTo("/proc/sys/net/ipv6/conf/eth0.100/accept_dad");
  }

  @Test
  void neighbourLimitsAreNodeWideButPodDadSettingsAreNot() {
    assertThat(new Sysctl("net.ipv6.neigh.default.gc_thresh3").nodeWide()).isTrue();
    assertThat(new Sysctl("net.core.netdev_max_backlog").nodeWide()).isTrue();
    assertThat(new Sysctl("net.core.somaxconn").nodeWide()).isFalse();
    assertThat(new Sysctl("net.ipv6.conf.default.accept_dad").nodeWide()).isFalse();
  }

  @Test
  void readsCapturedValues() {
    FixtureShell sh =
        new FixtureShell("node")
            .file("/proc/sys/net/ipv4/udp_mem", load("sysctl/net.ipv4.udp_mem.txt"))
            .file(
                "/proc/sys/net/ipv6/neigh/default/gc_thresh3",
                load("sysctl/net.ipv6.neigh.default.gc_thresh3.txt"));
    SysctlReader r = new SysctlReader(sh);
    assertThat(r.readLong("net.ipv6.neigh.default.gc_thresh3")).isEqualTo(1024);
    assertThat(Sysctl.tokens(r.read("net.ipv4.udp_mem")))
        .containsExactly("575796", "767731", "1151592");
    assertThat(r.read(List.of("net.ipv4.no_such")).get("net.ipv4.no_such").isOk()).isFalse();
    assertThatThrownBy(() -> r.read("net.ipv4.no_such"))
        .isInstanceOf(ShellException.class)
        .hasMessageContaining("/proc/sys/net/ipv4/no_such");
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName(
      "a key is never more than segments of [A-Za-z0-9_-]: no shell or path can hide in it")
  @ValueSource(
      strings = {
        "net..x",
        ".net.x",
        "net.x.",
        "net.ipv6.conf.*.accept_dad",
        "net.ipv6.conf.x;reboot.accept_dad",
        "net.ipv6.conf.$(id).accept_dad",
        "net.ipv6.conf.a b.accept_dad",
        "net/ipv6/conf/../../../etc/passwd",
        "net.ipv6.conf.'x'.accept_dad",
        ""
      })
  void rejectsMalformedKeys(String key) {
    assertThatThrownBy(() -> new Sysctl(key))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a sysctl key");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "net.ipv6.conf.kd-ab12cd-up0.accept_dad",
        "net.ipv6.conf.enP2p1s0f0.accept_dad",
        "net/ipv6/conf/eth0.100/accept_dad"
      })
  void acceptsInterfaceNamesInKeys(String key) {
    assertThat(new Sysctl(key).key()).isEqualTo(key);
  }
}
