package io.kdensity.probes.probe;

import static io.kdensity.probes.Fixtures.load;

import io.kdensity.probes.shell.FixtureShell;
import java.util.List;

/** Fixture shells serving the captured files of a node, for probe tests. */
public final class TestScopes {
  private TestScopes() {}

  /** A root namespace serving every node-wide file the probes read, from captured fixtures. */
  public static FixtureShell host() {
    return new FixtureShell("host")
        .command("ip -j neigh show nud all", "[]")
        .file("/proc/net/stat/ndisc_cache", load("neighstat/ndisc-before-overflow.txt"))
        .file("/proc/net/stat/arp_cache", load("neighstat/arp.txt"))
        .file("/proc/sys/net/ipv6/neigh/default/gc_thresh1", "128\n")
        .file("/proc/sys/net/ipv6/neigh/default/gc_thresh2", "512\n")
        .file("/proc/sys/net/ipv6/neigh/default/gc_thresh3", "1024\n")
        .file("/proc/sys/net/ipv4/neigh/default/gc_thresh1", "128\n")
        .file("/proc/sys/net/ipv4/neigh/default/gc_thresh2", "512\n")
        .file("/proc/sys/net/ipv4/neigh/default/gc_thresh3", "1024\n")
        .file("/proc/net/softnet_stat", load("softnet/softnet_stat-2cpu.txt"))
        .file("/proc/softirqs", load("softirqs/softirqs-2cpu.txt"))
        .file("/proc/stat", load("procstat/stat-2cpu.txt"))
        .file("/proc/cpuinfo", load("cpuinfo/cpuinfo-2cpu.txt"))
        .file("/proc/net/snmp", load("snmp/snmp.txt"))
        .file("/proc/net/snmp6", load("snmp6/snmp6.txt"))
        .file("/proc/net/netstat", load("netstat/netstat.txt"))
        .file("/proc/net/sockstat", load("sockstat/sockstat.txt"))
        .file("/proc/net/sockstat6", load("sockstat/sockstat6.txt"))
        .file("/proc/sys/net/core/rmem_default", "212992\n")
        .file("/proc/sys/net/core/rmem_max", load("sysctl/net.core.rmem_max.txt"))
        .file("/proc/sys/net/core/wmem_default", "212992\n")
        .file("/proc/sys/net/core/wmem_max", "212992\n")
        .file("/proc/sys/net/ipv4/udp_mem", load("sysctl/net.ipv4.udp_mem.txt"))
        .file("/proc/sys/net/ipv4/tcp_mem", "188763 251685 377526\n");
  }

  /**
   * A node namespace answering the commands every sweep runs there with nothing: no links, no
   * neighbours.
   */
  public static FixtureShell node() {
    return new FixtureShell("node")
        .command("ip -j -d -s link", "[]")
        .command("ip -j neigh show nud all", "[]");
  }

  public static ProbeScope scope(FixtureShell host, FixtureShell node, List<PodView> pods) {
    return ProbeScope.builder(host, node)
        .pods(pods)
        .socketNamespaces(List.of(host))
        .facts(new NodeFacts("n", "6.x", "cpu", 2, 2_000_000_000L, List.of()))
        .build();
  }
}
