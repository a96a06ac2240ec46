package io.kdensity.probes.neigh;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.TestScopes;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.FixtureShell;
import io.micrometer.core.instrument.Clock;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class NeighbourProbeTest {
  private final NeighbourProbe probe = new NeighbourProbe(NeighbourProbe.Thresholds.DEFAULT);

  @Test
  @DisplayName(
      "reports table_fulls that rose during the step as NEIGH_TABLE_OVERFLOW with the counters")
  void reportsTableFullsAsNeighbourOverflow() {
    FixtureShell host = TestScopes.host();
    ProbeContext ctx =
        new ProbeContext(
            TestScopes.scope(host, TestScopes.node(), List.of()), Runnable::run, Clock.SYSTEM);
    NeighbourProbe.Snapshot before = probe.snapshot(ctx);
    host.file("/proc/net/stat/ndisc_cache", load("neighstat/ndisc-table-fulls.txt"));
    NeighbourProbe.Snapshot after = probe.snapshot(ctx);

    ProbeResult r = probe.evaluate(before, after, ctx);

    // table_fulls summed over the two CPU rows, before (0x13bf + 0x7a4) and after the overflow
    long was = 0x13bf + 0x7a4;
    long now = 0x171c + 0x210b;
    long fulls = now - was;
    assertThat(r.metrics())
        .containsEntry("neigh.v6.table_fulls", (double) fulls)
        .containsEntry("neigh.v6.entries", 257.0);
    Finding f = r.findings().get(0);
    assertThat(r.findings()).hasSize(1);
    assertThat(f.code()).isEqualTo(FindingCode.NEIGH_TABLE_OVERFLOW);
    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(f.message())
        .isEqualTo(
            "IPv6 (ndisc_cache) neighbour table full: 7,364 entries refused (table_fulls +7,364), 257 counted entries (node 0, pods 257), gc_thresh3 1,024");
    assertThat(f.evidence().get(0))
        .isEqualTo(Evidence.counter("ndisc_cache table_fulls", was, now));
    assertThat(f.evidence())
        .extracting(Evidence::what)
        .contains("net.ipv6.neigh.default.gc_thresh1/2/3");
  }

  @Test
  void warnsWhenEntriesApproachGcThresh3WithoutOverflow() {
    FixtureShell host =
        TestScopes.host().file("/proc/sys/net/ipv6/neigh/default/gc_thresh3", "260\n");
    ProbeContext ctx =
        new ProbeContext(
            TestScopes.scope(host, TestScopes.node(), List.of()), Runnable::run, Clock.SYSTEM);
    host.file("/proc/net/stat/ndisc_cache", load("neighstat/ndisc-table-fulls.txt"));
    NeighbourProbe.Snapshot s = probe.snapshot(ctx);
    ProbeResult r = probe.evaluate(s, s, ctx);
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
              assertThat(f.message()).contains("257 counted entries of gc_thresh3 260");
            });
  }

  @Test
  @DisplayName(
      "a kernel without table_fulls (3.x) degrades: no overflow verdict, a note saying why, the other counts still reported")
  void oldKernelWithoutTableFullsDegrades() {
    FixtureShell host =
        TestScopes.host()
            .file("/proc/net/stat/ndisc_cache", load("neighstat/ndisc-3x-no-table-fulls.txt"));
    ProbeContext ctx =
        new ProbeContext(
            TestScopes.scope(host, TestScopes.node(), List.of()), Runnable::run, Clock.SYSTEM);
    NeighbourProbe.Snapshot s = probe.snapshot(ctx);
    assertThat(s.v6().stats().knowsTableFulls()).isFalse();
    assertThat(s.v6().stats().entries()).isEqualTo(16);
    assertThat(s.v6().stats().allocs()).isEqualTo(0x1f + 0x03);

    ProbeResult r = probe.evaluate(s, s, ctx);

    assertThat(r.metrics())
        .containsEntry("neigh.v6.entries", 16.0)
        .doesNotContainKey("neigh.v6.table_fulls")
        .containsKey("neigh.v4.table_fulls");
    assertThat(r.findings()).isEmpty();
    assertThat(r.notes()).singleElement().asString().startsWith("ndisc_cache has no table_fulls");
  }

  @Test
  @DisplayName(
      "entries are told apart by role: the emulated router's permanent entries are exempt and not the node's; the pods hold the rest")
  void entriesByRole() {
    // real dumps: a switch bridge with 3 pinned (permanent) pod entries, a node namespace, the
    // machine's root namespace; the kernel counts 138 IPv6 and 3 IPv4 entries in all
    FixtureShell host =
        TestScopes.host().command("ip -j neigh show nud all", load("neigh/host-root.json"));
    FixtureShell node =
        TestScopes.node().command("ip -j neigh show nud all", load("neigh/node-roles.json"));
    FixtureShell fabric =
        new FixtureShell("fabric")
            .command("ip -j neigh show nud all", load("neigh/fabric-pinned.json"));
    ProbeScope scope =
        ProbeScope.builder(host, node)
            .outsideNode(List.of(fabric))
            .facts(TestScopes.scope(host, node, List.of()).facts())
            .build();
    ProbeContext ctx = new ProbeContext(scope, Runnable::run, Clock.SYSTEM);
    NeighbourProbe.Snapshot s = probe.snapshot(ctx);

    ProbeResult r = probe.evaluate(s, s, ctx);

    assertThat(r.metrics())
        .containsEntry("neigh.v6.entries", 138.0)
        .containsEntry("neigh.v6.entries.node", 4.0) // fd00:100::2, fe80::1, ff02::16 × 2
        .containsEntry("neigh.v6.entries.emulation", 5.0)
        .containsEntry("neigh.v6.entries.other", 0.0)
        .containsEntry("neigh.v6.entries.pods", 129.0)
        .containsEntry("neigh.v6.exempt", 3.0) // the three PERMANENT pod entries of the switch
        .containsEntry("neigh.v6.gc_entries", 135.0)
        .containsEntry("neigh.v6.node_side", 133.0)
        .containsEntry("neigh.v4.entries.other", 2.0)
        .containsEntry("neigh.v4.exempt", 1.0) // 0.0.0.0 on lo
        // 3 IPv4 entries in the kernel, 4 in the dumps read a moment apart: never below zero
        .containsEntry("neigh.v4.entries.pods", 0.0);
  }

  @Test
  @DisplayName(
      "entries of namespaces that are not the run's (another container, a bound namespace) count as other, not as pods")
  void unrelatedNamespacesCountAsOther() {
    // the node's shell cannot name its namespace (a hostNetwork pod's exec): it says its inode
    FixtureShell node =
        TestScopes.node().command("readlink /proc/self/ns/net", "net:[4026532001]\n");
    FixtureShell pod = new FixtureShell("pod").netns("/proc/4242/ns/net");
    FixtureShell host =
        TestScopes.host()
            .netns("/proc/self/ns/net")
            .command(
                Command.of("sh", "-c", UnrelatedNamespaces.SCRIPT, "sh").display(),
                String.join(
                    "\n",
                    // the known paths, then every process's namespace, then the bound ones
                    "4026531840 /proc/self/ns/net",
                    "4026532100 /proc/4242/ns/net",
                    "4026531840 /proc/1/ns/net",
                    "4026532100 /proc/4242/ns/net",
                    "4026532500 /proc/7777/ns/net",
                    "4026532001 /run/netns/kd-r1-node",
                    "4026532600 /run/netns/cni-1234",
                    ""))
            .command(
                UnrelatedNamespaces.dump("/proc/7777/ns/net").display(),
                "[{\"dst\":\"fd00:9::1\",\"dev\":\"eth0\",\"lladdr\":\"02:00:00:00:00:01\",\"state\":[\"REACHABLE\"]},"
                    + "{\"dst\":\"fd00:9::2\",\"dev\":\"eth0\",\"lladdr\":\"02:00:00:00:00:02\",\"state\":[\"STALE\"]},"
                    + "{\"dst\":\"fd00:9::3\",\"dev\":\"eth0\",\"lladdr\":\"02:00:00:00:00:03\",\"state\":[\"PERMANENT\"]}]")
            .command(
                UnrelatedNamespaces.dump("/run/netns/cni-1234").display(),
                "[{\"dst\":\"198.18.9.1\",\"dev\":\"eth0\",\"lladdr\":\"02:00:00:00:00:04\",\"state\":[\"REACHABLE\"]},"
                    + "{\"dst\":\"198.18.9.2\",\"dev\":\"eth0\",\"lladdr\":\"02:00:00:00:00:05\",\"state\":[\"DELAY\"]}]");
    ProbeContext ctx =
        new ProbeContext(
            TestScopes.scope(host, node, List.of(new PodView("p0", pod, List.of()))),
            Runnable::run,
            Clock.SYSTEM);
    NeighbourProbe.Snapshot s = probe.snapshot(ctx);
    assertThat(s.unrelatedNamespaces()).isEqualTo(2);

    ProbeResult r = probe.evaluate(s, s, ctx);

    // the fixture's ndisc_cache counts 138 entries: 3 are another container's, the pods' the rest
    assertThat(r.metrics())
        .containsEntry("neigh.v6.entries", 138.0)
        .containsEntry("neigh.v6.entries.other", 3.0)
        .containsEntry("neigh.v6.entries.pods", 135.0)
        .containsEntry("neigh.v6.exempt", 1.0)
        .containsEntry("neigh.v4.entries.other", 2.0);
    assertThat(r.notes()).isEmpty();
  }

  @Test
  void theUnrelatedAreTheNamespacesNoKnownPathIsIn() {
    UnrelatedNamespaces.Found f =
        UnrelatedNamespaces.unrelated(
            "10 /proc/self/ns/net\n10 /proc/1/ns/net\n11 /proc/2/ns/net\n12 /run/netns/a\n11 /proc/3/ns/net\n13 /proc/4/ns/net\n",
            List.of("/proc/self/ns/net", "/proc/gone/ns/net"),
            java.util.Set.of("13"),
            "find");
    assertThat(f.paths()).containsExactly("/proc/2/ns/net", "/run/netns/a");
    assertThat(f.found()).isEqualTo(2);
    assertThatThrownBy(
            () ->
                UnrelatedNamespaces.unrelated(
                    "x /proc/1/ns/net\n", List.of(), java.util.Set.of(), "find"))
        .isInstanceOf(ParseException.class)
        .hasMessageContaining("expected 'inode path'");
  }
}
