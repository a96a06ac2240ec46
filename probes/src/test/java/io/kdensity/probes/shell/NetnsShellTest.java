package io.kdensity.probes.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NetnsShellTest {

  @Test
  void splitsTheBatchReadOutputPerFile() {
    String out =
        "@@kd-file /proc/net/snmp6\nIp6InReceives 1\nIp6InDelivers 1\n\n@@kd-end 0\n"
            + "@@kd-file /proc/sys/net/x\ncat: /proc/sys/net/x: No such file or directory\n\n@@kd-end 1\n"
            + "@@kd-file /proc/sys/net/core/somaxconn\n4096\n\n@@kd-end 0\n";
    Map<String, FileRead> r =
        NetnsShell.splitReads(
            out,
            List.of("/proc/net/snmp6", "/proc/sys/net/x", "/proc/sys/net/core/somaxconn"),
            "netns kd-t");
    assertThat(r.get("/proc/net/snmp6").content()).isEqualTo("Ip6InReceives 1\nIp6InDelivers 1\n");
    assertThat(r.get("/proc/sys/net/x").error())
        .isEqualTo("cannot read /proc/sys/net/x in netns kd-t: No such file or directory");
    assertThat(r.get("/proc/sys/net/core/somaxconn").content()).isEqualTo("4096\n");
  }

  @Test
  void contentWithoutTrailingNewlineIsKept() {
    Map<String, FileRead> r =
        NetnsShell.splitReads("@@kd-file /a\nabc\n@@kd-end 0\n", List.of("/a"), "netns n");
    assertThat(r.get("/a").content()).isEqualTo("abc");
  }

  @Test
  void wrapsCommandsWithNsenter() {
    FixtureShell host =
        new FixtureShell("host").command("nsenter --net=/run/netns/kd-t-node -- ip -j neigh", "[]");
    NetnsShell ns = new NetnsShell("kd-t-node", host);
    assertThat(ns.run(Command.of("ip", "-j", "neigh")).stdout()).isEqualTo("[]");
    assertThat(ns.path()).isEqualTo("/run/netns/kd-t-node");
  }

  @Test
  void readsProcNetThroughAnAnchorProcessWithoutStartingOne() {
    FixtureShell host = new FixtureShell("host").file("/proc/4242/net/if_inet6", "x");
    NetnsShell ns = new NetnsShell("kd-t-pod", host).withAnchor(4242);
    assertThat(ns.readFile("/proc/net/if_inet6")).isEqualTo("x");
    assertThat(host.calls()).containsExactly("file:/proc/4242/net/if_inet6");
  }

  @Test
  void reportsAMissingToolInsideTheNamespace() {
    FixtureShell host =
        new FixtureShell("host")
            .command(
                "nsenter --net=/run/netns/n -- fping -6",
                127,
                "",
                "nsenter: failed to execute fping: No such file or directory\n");
    assertThatThrownBy(() -> new NetnsShell("n", host).run(Command.of("fping", "-6")))
        .isInstanceOf(MissingToolException.class)
        .hasMessageContaining("apt-get install -y fping");
  }

  @Test
  void rejectsPathsAsNames() {
    assertThatThrownBy(() -> new NetnsShell("../etc", new FixtureShell("h")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
