package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.config.run.AttachMode;
import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.engine.Settle;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.targets.ScaleResult;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code attach: netlink} must leave the kernel in the state the CNI plugins leave it in: the same
 * links (kind, mode, flags, MTU, queue, bridge port), addresses, routes and per-interface sysctls,
 * in every pod and in the node. Both modes wire the same plan (dual-stack ptp eth0 with host-local,
 * a host-local macvlan, a fixed-ips macvlan, a host-local bridge network); what only differs by
 * chance (MACs, the link-local addresses derived from them, the plugins' random veth names, the run
 * id) is normalised away, everything else is compared line by line.
 */
@Tag("kernel")
class AttachModesIT {
  private final Settle settle = new Settle(IpLossProbe.Thresholds.DEFAULT, Clock.SYSTEM);

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final int PODS = 3;

  private static final String PLAN =
      String.join(
          "\n",
          "name: attach-modes",
          // no advertising router: the default routes it gives arrive with its next advertisement,
          // whenever that is, in either mode; they are the router's doing, not the attach's
          "target: {type: local, local: {uplinks: 2, dualStack: true, attachConcurrency: 1,"
              + " routers: 0}}",
          "attachments:",
          "  - name: sat-a",
          "    config: {type: macvlan, master: uplink0, mode: bridge,",
          "             ipam: {type: host-local, ranges: [[{subnet: 'fd00:10:1::/64'}]],",
          "                    routes: [{dst: 'fd00:99::/64'}]}}",
          "  - name: sat-b",
          "    ips: ['fd00:10:2::/64']",
          "    config: {type: macvlan, master: uplink1, capabilities: {ips: true}, ipam: {type: static}}",
          "  - name: flat",
          "    config: {type: bridge, ipam: {type: host-local, ranges: [[{subnet: 'fd00:20::/64'}]]}}",
          "ramp: {steps: [" + PODS + "]}",
          "");

  private final LocalShell host = new LocalShell();
  private final List<LocalNames> runs = new ArrayList<>();

  @AfterEach
  void noLeftovers() {
    runs.forEach(n -> new LocalCleanup(host).removeRun(n.runId()));
    for (LocalNames n : runs) {
      assertThat(new LocalCleanup(host).listNamespaces()).noneMatch(x -> x.startsWith(n.prefix()));
    }
  }

  @Test
  @DisplayName(
      "netlink mode makes the links, addresses, routes and sysctls the CNI plugins make, in every pod and in the node")
  void sameKernelObjects() {
    Plan cni = PlanLoader.parse(PLAN, "attach-modes.yaml");
    Map<String, List<String>> byPlugins = wireAndDump(cni);
    Map<String, List<String>> byNetlink = wireAndDump(cni.withAttach(AttachMode.NETLINK));

    assertThat(byNetlink.keySet()).containsExactlyElementsOf(byPlugins.keySet());
    // the dumps hold what the test is about: every pod's interfaces and the node's ends
    assertThat(byPlugins.get("pod 2 addresses"))
        .contains(
            "eth0 inet 198.18.0.3/16 scope=global",
            "eth0 inet6 fd00:100::3/64 scope=global",
            "net1 inet6 fd00:10:1::3/64 scope=global",
            "net2 inet6 fd00:10:2::3/64 scope=global",
            "net3 inet6 fd00:20::3/64 scope=global");
    assertThat(byPlugins.get("node routes")).contains("fd00:100::2 dev=veth* metric=1024");
    List<String> differences = new ArrayList<>();
    byPlugins.forEach(
        (section, lines) -> {
          List<String> onlyPlugins = minus(lines, byNetlink.get(section));
          List<String> onlyNetlink = minus(byNetlink.get(section), lines);
          if (!onlyPlugins.isEmpty() || !onlyNetlink.isEmpty()) {
            differences.add(
                section
                    + ":\n  only with the plugins: "
                    + onlyPlugins
                    + "\n  only with netlink: "
                    + onlyNetlink);
          }
        });
    assertThat(differences).as("differences between the modes").isEmpty();
  }

  /** Wires {@link #PODS} pods, waits for DAD everywhere, and describes the kernel's state. */
  private Map<String, List<String>> wireAndDump(Plan plan) {
    LocalNames names = LocalNames.random();
    runs.add(names);
    Map<String, List<String>> out = new TreeMap<>();
    try (LocalTarget t = new LocalTarget(plan, names, host, NodeFacts.UNKNOWN, Clock.SYSTEM)) {
      t.preflight();
      t.setUp();
      ScaleResult up = t.scaleTo(PODS);
      assertThat(up.findings()).isEmpty();
      assertThat(up.interfaces()).isEqualTo(PODS * 4);
      assertThat(settle.await(t.scope(), Duration.ofSeconds(20)).settled()).isTrue();
      Normaliser n = new Normaliser(names);
      for (int p = 1; p <= PODS; p++) {
        describe(new NetnsShell(names.pod(p), host), "pod " + p, n, out);
      }
      describe(t.nodeShell(), "node", n, out);
    }
    return out;
  }

  private static void describe(
      NodeShell ns, String who, Normaliser n, Map<String, List<String>> out) {
    JsonNode links = json(ns, "ip", "-d", "-j", "link", "show");
    List<String> l = new ArrayList<>();
    List<String> ifnames = new ArrayList<>();
    for (JsonNode link : links) {
      ifnames.add(link.path("ifname").asString());
      JsonNode info = link.path("linkinfo");
      StringBuilder b = new StringBuilder(n.name(link.path("ifname").asString()));
      for (String f : List.of("mtu", "qdisc", "operstate", "txqlen", "promiscuity", "allmulti")) {
        b.append(' ').append(f).append('=').append(link.path(f).asString(""));
      }
      b.append(" master=").append(n.name(link.path("master").asString("")));
      b.append(" flags=").append(link.path("flags"));
      b.append(" kind=").append(info.path("info_kind").asString(""));
      b.append(" mode=").append(info.path("info_data").path("mode").asString(""));
      b.append(" slave=").append(info.path("info_slave_kind").asString(""));
      JsonNode port = info.path("info_slave_data");
      for (String f : List.of("state", "hairpin", "learning", "flood", "proxy_arp")) {
        b.append(' ').append(f).append('=').append(port.path(f).asString(""));
      }
      l.add(b.toString());
    }
    out.put(who + " links", sorted(l));

    List<String> a = new ArrayList<>();
    for (JsonNode link : json(ns, "ip", "-j", "addr", "show")) {
      for (JsonNode ai : link.path("addr_info")) {
        StringBuilder b =
            new StringBuilder(n.name(link.path("ifname").asString()))
                .append(' ')
                .append(ai.path("family").asString())
                .append(' ')
                .append(n.address(ai.path("local").asString()))
                .append('/')
                .append(ai.path("prefixlen").asString())
                .append(" scope=")
                .append(ai.path("scope").asString());
        for (Iterator<Map.Entry<String, JsonNode>> it = ai.properties().iterator();
            it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          if (e.getValue().isBoolean() && e.getValue().asBoolean()) {
            b.append(' ').append(e.getKey());
          }
        }
        a.add(b.toString());
      }
    }
    out.put(who + " addresses", sorted(a));

    List<String> r = new ArrayList<>();
    for (String family : List.of("-4", "-6")) {
      for (JsonNode route : json(ns, "ip", family, "-j", "route", "show", "table", "all")) {
        StringBuilder b = new StringBuilder(n.address(route.path("dst").asString()));
        for (String f :
            List.of("gateway", "dev", "protocol", "scope", "metric", "prefsrc", "type", "table")) {
          if (route.has(f)) {
            String v = route.path(f).asString();
            b.append(' ').append(f).append('=').append(f.equals("dev") ? n.name(v) : n.address(v));
          }
        }
        b.append(route.path("flags").isEmpty() ? "" : " flags=" + route.path("flags"));
        r.add(b.toString());
      }
    }
    out.put(who + " routes", sorted(r));

    List<String> argv = new ArrayList<>(List.of("sh", "-c", SYSCTLS, "sh"));
    argv.addAll(ifnames);
    var res = ns.run(Command.of(argv));
    List<String> s = new ArrayList<>();
    for (String line : res.stdout().split("\n")) {
      if (!line.isBlank()) {
        s.add(n.name(line));
      }
    }
    out.put(who + " sysctls", sorted(s));
  }

  /** Every per-interface sysctl of the given interfaces, as {@code path=value}. */
  private static final String SYSCTLS =
      "for i; do for f in /proc/sys/net/ipv4/conf/$i/* /proc/sys/net/ipv6/conf/$i/*; do"
          + " case $f in */stable_secret) continue;; esac;"
          + " printf '%s=%s\\n' \"$f\" \"$(cat \"$f\" | tr '\\t' ' ')\"; done; done";

  private static JsonNode json(NodeShell ns, String... argv) {
    var r = ns.run(Command.of(argv));
    assertThat(r.ok()).as(String.join(" ", argv) + ": " + r.stderr()).isTrue();
    return JSON.readTree(r.stdout());
  }

  /** {@code a} without one occurrence of each element of {@code b}. */
  private static List<String> minus(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    b.forEach(out::remove);
    return out;
  }

  private static List<String> sorted(List<String> l) {
    return l.stream().sorted().toList();
  }

  /** Takes out what differs by chance: the run id, random veth names, MAC-derived addresses. */
  private record Normaliser(LocalNames names) {
    private static final Pattern VETH = Pattern.compile("veth[0-9a-f]{8}");
    private static final Pattern LINK_LOCAL = Pattern.compile("fe80::[0-9a-f:]+");

    String name(String s) {
      return VETH.matcher(s.replace(names.prefix(), "kd-RUN-")).replaceAll("veth*");
    }

    String address(String s) {
      return s.equals("fe80::") ? s : LINK_LOCAL.matcher(s).replaceAll("LL");
    }
  }
}
