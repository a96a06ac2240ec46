package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.neigh.IpNeighParser;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.probes.node.LocalNodeFacts;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real kernel: the neighbour table is node-wide, so another container's entries are in the count
 * the pods are judged by. A namespace that is not the run's — here one named like another run's,
 * with 40 IPv6 entries — counts as other, and the run's pods' count does not move.
 */
@Tag("kernel")
class UnrelatedNamespacesIT {
  static final int STRAY_ENTRIES = 40;

  private final LocalShell host = new LocalShell();
  private final LocalNames names = LocalNames.random();
  private final LocalNames other = LocalNames.random();

  @AfterEach
  void noLeftovers() {
    new LocalCleanup(host).removeRun(names.runId());
    new LocalCleanup(host).removeRun(other.runId());
  }

  @Test
  @DisplayName(
      "entries of a namespace that is not the run's count as neigh.v6.entries.other, not as the pods'")
  void anotherContainersEntriesAreOther() throws Exception {
    Plan plan =
        PlanLoader.parse(
            Files.readString(Path.of("plans/smoke.yaml"))
                .replace("ramp:\n  steps: [2, 4]", "ramp:\n  steps: [2]")
                // no advertising router, whose next advertisement would add the pods' router
                // entries at a moment the test does not choose
                .replace("    uplinks: 2\n", "    uplinks: 2\n    routers: 0\n"),
            "unrelated.yaml");
    assertThat(plan.target().local().routers()).isZero();
    NeighbourProbe probe = new NeighbourProbe(NeighbourProbe.Thresholds.DEFAULT);
    try (LocalTarget t =
        new LocalTarget(plan, names, host, LocalNodeFacts.collect(), Clock.SYSTEM)) {
      t.setUp();
      t.scaleTo(2);
      ProbeContext ctx = new ProbeContext(t.scope(), Runnable::run, Clock.SYSTEM);
      assertThat(t.scope().pods()).hasSize(2);
      NeighbourProbe.Snapshot before = probe.snapshot(ctx);

      String stray = other.prefix() + "stray";
      host.run(Command.of("ip", "netns", "add", stray)).requireSuccess();
      NetnsShell ns = new NetnsShell(stray, host);
      // links without IPv6 addresses of their own, so that no DAD, MLD or router solicitation
      // adds multicast entries behind the test's back while it counts
      ns.writeFile("/proc/sys/net/ipv6/conf/default/addr_gen_mode", "1");
      // a veth pair inside it (this kernel has no dummy links)
      ns.run(Command.of("ip", "link", "add", "d0", "type", "veth", "peer", "name", "d1"))
          .requireSuccess();
      ns.run(Command.of("ip", "link", "set", "d0", "up")).requireSuccess();
      ns.run(Command.of("ip", "link", "set", "d1", "up")).requireSuccess();
      for (int i = 1; i <= STRAY_ENTRIES; i++) {
        ns.run(
                Command.of(
                    "ip",
                    "-6",
                    "neigh",
                    "add",
                    "fd00:99::" + Integer.toHexString(i),
                    "lladdr",
                    String.format("02:00:00:00:99:%02x", i),
                    "dev",
                    "d0",
                    "nud",
                    "stale"))
            .requireSuccess();
      }
      NeighbourProbe.Snapshot after = probe.snapshot(ctx);
      Map<String, Double> b = probe.evaluate(before, before, ctx).metrics();
      ProbeResult r = probe.evaluate(before, after, ctx);
      Map<String, Double> a = r.metrics();

      assertThat(after.unrelatedNamespaces()).isEqualTo(before.unrelatedNamespaces() + 1);
      // the 40 entries, all of the namespace's, as its own dump lists them
      int strays =
          IpNeighParser.parse(
                  ns.run(Command.of("ip", "-6", "-j", "neigh", "show", "nud", "all"))
                      .requireSuccess()
                      .stdout(),
                  "stray")
              .size();
      assertThat(strays).isEqualTo(STRAY_ENTRIES);
      assertThat(a.get("neigh.v6.entries.other") - b.get("neigh.v6.entries.other"))
          .isEqualTo(strays);
      // the pods' entries are what they were, within what their own timers changed meanwhile
      assertThat(a.get("neigh.v6.entries.pods") - b.get("neigh.v6.entries.pods"))
          .isBetween(-5.0, 5.0);
    }
  }
}
