package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.kdensity.probes.node.LocalNodeFacts;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real kernel: with advertising routers on the uplink network, every pod interface learns each
 * router's link-local address as a default router and holds a neighbour entry for it, as on a real
 * IPv6 segment (the kernel makes the entry from the advertisement's source link-layer address,
 * {@code ndisc_router_discovery}, and marks it a router); without them it holds none. The routers
 * themselves hold no entry per pod: the first router's are pinned and exempt, the second is no
 * router to its own kernel, so the pods' solicitations make none.
 */
@Tag("kernel")
class AdvertisingRoutersIT {
  static final int PODS = 6;

  private final LocalShell host = new LocalShell();
  private final LocalNames names = LocalNames.random();

  @AfterEach
  void noLeftovers() {
    new LocalCleanup(host).removeRun(names.runId());
  }

  static String plan(int routers) {
    return """
        name: routers
        target:
          type: local
          local:
            uplinks: 1
            attachConcurrency: 6
            routers: %d
        attachments:
          - name: sat
            config: |
              {"cniVersion": "1.0.0", "type": "macvlan", "master": "uplink0", "mode": "bridge",
               "ipam": {"type": "host-local", "ranges": [[{"subnet": "fd00:10:8::/64", "gateway": "fd00:10:8::1"}]]}}
        ramp:
          steps: [%d]
        settle: 5s
        hold: 1s
        bisect:
          enabled: false
        """
        .formatted(routers, PODS);
  }

  @ParameterizedTest(name = "{0} routers")
  @ValueSource(ints = {0, 1, 2})
  @DisplayName(
      "each macvlan interface holds one router entry (a link-local default router) per advertising router, none without; the routers hold none per pod")
  void routerEntriesPerInterface(int routers) throws Exception {
    Plan plan = PlanLoader.parse(plan(routers), "routers.yaml");
    try (LocalTarget t =
        new LocalTarget(plan, names, host, LocalNodeFacts.collect(), Clock.SYSTEM)) {
      t.setUp();
      t.scaleTo(PODS);
      List<PodView> pods = t.scope().pods();
      assertThat(pods).hasSize(PODS);
      // a pod solicits at once; radvd answers within its 3-s limit between advertisements
      await()
          .atMost(Duration.ofSeconds(routers == 0 ? 6 : 30))
          .pollDelay(Duration.ofSeconds(routers == 0 ? 5 : 0))
          .pollInterval(Duration.ofMillis(500))
          .untilAsserted(
              () -> {
                for (PodView p : pods) {
                  assertThat(routerEntries(p)).as(p.name()).hasSize(routers);
                  assertThat(defaultRoutes(p)).as(p.name()).isEqualTo(routers);
                }
              });
      List<String> all = pods.stream().flatMap(p -> neigh(p).stream()).toList();
      System.out.printf(
          "%d routers: %d entries on %d macvlan interfaces (%.2f per interface): %s%n",
          routers, all.size(), PODS, all.size() / (double) PODS, all);
      for (PodView p : pods) {
        assertThat(routerEntries(p))
            .allMatch(e -> e.startsWith("fe80::"), "the routers' link-local addresses");
      }
      if (routers >= 1) {
        String fabric =
            new NetnsShell(names.fabric(), host)
                .run(Command.of("ip", "-6", "neigh", "show", "nud", "all", "dev", names.tor(0)))
                .stdout();
        assertThat(fabric.lines())
            .as("the first router's entries: pinned, counted by nobody")
            .isNotEmpty()
            .allMatch(l -> l.contains("PERMANENT"));
      }
      if (routers == 2) {
        NetnsShell second = new NetnsShell(names.secondRouter(), host);
        String entries = second.run(Command.of("ip", "-6", "neigh", "show", "nud", "all")).stdout();
        // only the two routers: the first's advertisements, which it hears as a real one would,
        // and its own, looped back to it
        List<String> routerAddresses =
            List.of(
                linkLocal(new NetnsShell(names.fabric(), host), names.tor(0)),
                linkLocal(second, names.secondRouterLink(0)));
        assertThat(
                entries
                    .lines()
                    .filter(l -> !l.startsWith("ff02:"))
                    .map(l -> l.split(" ")[0])
                    .toList())
            .as("the second router's unicast entries: none for a pod")
            .isSubsetOf(routerAddresses);
        // and all of them pinned, so the emulation's routers cost the node's table nothing
        assertThat(entries.lines()).allMatch(l -> l.contains("PERMANENT"));
      }
    }
  }

  private static String linkLocal(NetnsShell where, String ifname) {
    String out =
        where
            .run(Command.of("ip", "-6", "-o", "addr", "show", "dev", ifname, "scope", "link"))
            .requireSuccess()
            .stdout();
    // "4: kd-…-tor0    inet6 fe80::…/64 scope link …"
    String[] w = out.trim().split("\\s+");
    return w[3].substring(0, w[3].indexOf('/'));
  }

  private static String macvlan(PodView p) {
    return p.interfaces().stream()
        .filter(i -> i.kind().equals("macvlan"))
        .map(PodInterface::ifname)
        .findFirst()
        .orElseThrow();
  }

  private static List<String> neigh(PodView p) {
    return p.shell()
        .run(Command.of("ip", "-6", "neigh", "show", "dev", macvlan(p)))
        .requireSuccess()
        .stdout()
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  private static List<String> routerEntries(PodView p) {
    return neigh(p).stream().filter(l -> l.contains(" router")).toList();
  }

  private static long defaultRoutes(PodView p) {
    return p.shell()
        .run(Command.of("ip", "-6", "route", "show", "default", "dev", macvlan(p)))
        .requireSuccess()
        .stdout()
        .lines()
        .filter(l -> !l.isBlank())
        .count();
  }
}
