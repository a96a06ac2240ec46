package io.kdensity.scale.targets.local;

import inet.ipaddr.MACAddressString;
import inet.ipaddr.mac.MACAddress;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.targets.InfrastructureException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The emulated node and its fabric: the node's namespace with its uplinks (the NIC ports), the
 * fabric's namespace with one bridge per uplink playing the top-of-rack switch and holding the
 * uplink networks' gateways. Built with batched {@code ip} requests.
 *
 * <pre>
 *  node kd-r-node                  fabric kd-r-fab
 *  kd-r-up0 ══════ veth ══════════ kd-r-fu0 ── bridge kd-r-tor0 (switch + gateway)
 *  kd-r-up1 ══════ veth ══════════ kd-r-fu1 ── bridge kd-r-tor1
 * </pre>
 */
final class LocalTopology {
  /** A batch of a few thousand netlink requests takes seconds; a stuck rtnl lock minutes. */
  static final Duration BATCH_TIMEOUT = Duration.ofMinutes(5);

  private final LocalNames names;
  private final TargetSpec.Local spec;
  private final LocalShell host;
  private final NetnsShell node;
  private final NetnsShell fabric;
  private final NetnsShell secondRouter;

  LocalTopology(LocalNames names, TargetSpec.Local spec, LocalShell host) {
    this.names = names;
    this.spec = spec;
    this.host = host;
    this.node = new NetnsShell(names.node(), host);
    this.fabric = new NetnsShell(names.fabric(), host);
    this.secondRouter = spec.routers() >= 2 ? new NetnsShell(names.secondRouter(), host) : null;
  }

  NetnsShell node() {
    return node;
  }

  NetnsShell fabric() {
    return fabric;
  }

  /** The second advertising router's namespace, if the plan has two routers. */
  Optional<NetnsShell> secondRouter() {
    return Optional.ofNullable(secondRouter);
  }

  /**
   * Starts the plan's advertising routers (none, one or two) on the networks' switches; the caller
   * closes them.
   */
  AdvertisingRouters startRouters(List<LocalNetwork> networks, Path configDir) {
    return AdvertisingRouters.start(
        names, networks, spec.routers(), fabric, secondRouter, configDir);
  }

  /** Creates the node and fabric namespaces, the uplinks, the switch bridges and gateways. */
  void create(List<LocalNetwork> networks) {
    batch(
        host,
        "netns add "
            + names.node()
            + "\nnetns add "
            + names.fabric()
            // ids in the root namespace: its monitor hears their gateways' neighbour entries
            + "\nnetns set "
            + names.node()
            + " auto\nnetns set "
            + names.fabric()
            + " auto\n"
            + (secondRouter != null ? "netns add " + names.secondRouter() + "\n" : ""),
        "create the node and fabric");
    quietFabric();
    if (secondRouter != null) {
      quietRouter(secondRouter);
    }
    StringBuilder root = new StringBuilder();
    for (int k = 0; k < spec.uplinks(); k++) {
      root.append("link add ")
          .append(names.uplink(k))
          .append(" netns ")
          .append(names.node())
          .append(" type veth peer name ")
          .append(names.switchPort(k))
          .append(" netns ")
          .append(names.fabric())
          .append('\n');
      if (secondRouter != null) {
        root.append("link add ")
            .append(names.secondRouterPort(k))
            .append(" netns ")
            .append(names.fabric())
            .append(" type veth peer name ")
            .append(names.secondRouterLink(k))
            .append(" address ")
            .append(secondRouterMac(k))
            .append(" netns ")
            .append(names.secondRouter())
            .append('\n');
      }
    }
    if (root.length() > 0) {
      batch(host, root.toString(), "create the uplinks");
    }
    StringBuilder n = new StringBuilder("link set lo up\n");
    StringBuilder f = new StringBuilder("link set lo up\n");
    StringBuilder r = new StringBuilder("link set lo up\n");
    for (int k = 0; k < spec.uplinks(); k++) {
      n.append("link set ").append(names.uplink(k)).append(" up\n");
      f.append("link add ").append(names.tor(k));
      if (spec.routers() >= 1) {
        // a router's link-local follows its MAC, and a bridge takes the lowest MAC of its ports
        // unless it has its own: the second router's port joining would make the first another
        f.append(" address ").append(switchMac(k));
      }
      f.append(" type bridge\n");
      f.append("link set ")
          .append(names.switchPort(k))
          .append(" master ")
          .append(names.tor(k))
          .append(" up\n");
      if (spec.routers() >= 1) {
        // the first router advertises from the switch bridge's link-local address
        f.append("link set ").append(names.tor(k)).append(" addrgenmode eui64\n");
      }
      f.append("link set ").append(names.tor(k)).append(" up\n");
      if (secondRouter != null) {
        f.append("link set ")
            .append(names.secondRouterPort(k))
            .append(" master ")
            .append(names.tor(k))
            .append(" up\n");
        r.append("link set ").append(names.secondRouterLink(k)).append(" up\n");
      }
      if (spec.routers() >= 1) {
        pinRouterOwnEntries(f, names.tor(k), k);
      }
      if (secondRouter != null) {
        pinRouterOwnEntries(r, names.secondRouterLink(k), k);
      }
    }
    for (LocalNetwork net : networks) {
      if (net.gatewayInFabric()) {
        for (String gw : net.gateways()) {
          f.append("addr add ")
              .append(gw)
              .append(" dev ")
              .append(names.tor(net.uplink()))
              .append(gw.contains(":") ? " nodad" : "")
              .append('\n');
        }
      }
    }
    batch(node, n.toString(), "set up the node's uplinks");
    batch(fabric, f.toString(), "set up the fabric's switch bridges");
    if (secondRouter != null) {
      batch(secondRouter, r.toString(), "set up the second router");
    }
    // the node routes between its pods' veths like a real worker node
    node.writeFile("/proc/sys/net/ipv6/conf/all/forwarding", "1");
    node.writeFile("/proc/sys/net/ipv4/ip_forward", "1");
    if (spec.conntrack()) {
      trackConnections();
    }
  }

  /**
   * A table whose rule has a {@code ct} expression: nftables then registers connection tracking in
   * the node's namespace for both families and on all its hooks ({@code nf_ct_netns_get}), whatever
   * hook the rule's own chain is on, so every flow it sends, receives or routes holds an entry, as
   * kube-proxy's rules make a worker node's. Neighbour discovery and MLD stay untracked, as the
   * kernel leaves them. Goes with the namespace.
   */
  private void trackConnections() {
    var r =
        node.run(
            Command.of("nft", "-f", "-")
                .withStdin(
                    "table inet kdensity {\n"
                        + "  chain track {\n"
                        + "    type filter hook prerouting priority 0; policy accept;\n"
                        + "    ct state new counter\n"
                        + "  }\n"
                        + "}\n")
                .withTimeout(BATCH_TIMEOUT));
    if (!r.ok()) {
      throw new InfrastructureException(
          "cannot make " + node.describe() + " track connections (nft): " + r.firstErrorLine());
    }
  }

  /** A fixed, locally administered MAC for switch k of this run. */
  String switchMac(int k) {
    return runMac(0x02, k);
  }

  /** A fixed, locally administered MAC for the second router's interface toward switch k. */
  String secondRouterMac(int k) {
    return runMac(0x06, k);
  }

  private String runMac(int first, int k) {
    int h = names.runId().hashCode();
    return String.format(
        "%02x:%02x:%02x:%02x:%02x:%02x",
        first, (h >>> 24) & 0xff, (h >>> 16) & 0xff, (h >>> 8) & 0xff, h & 0xff, k & 0xff);
  }

  /**
   * Permanent entries, exempt from gc_thresh, for what an advertising router's own interface sends
   * to or hears on switch k: all nodes (its advertisements) and the MLDv2 routers group (its
   * reports), and the routers' link-locals (each hears the other's advertisements, and its own,
   * looped back). A real router keeps these in its own kernel; here they would be the emulation's
   * counted entries in the table the node shares.
   */
  private void pinRouterOwnEntries(StringBuilder batch, String dev, int k) {
    List<String[]> pins = new ArrayList<>();
    pins.add(new String[] {"ff02::1", "33:33:00:00:00:01"});
    pins.add(new String[] {"ff02::16", "33:33:00:00:00:16"});
    pins.add(new String[] {linkLocal(switchMac(k)), switchMac(k)});
    if (secondRouter != null) {
      pins.add(new String[] {linkLocal(secondRouterMac(k)), secondRouterMac(k)});
    }
    // replace: the interface came up before this batch line, and its first MLD report may have
    // made the group's entry already
    for (String[] p : pins) {
      batch
          .append("neigh replace ")
          .append(p[0])
          .append(" lladdr ")
          .append(p[1])
          .append(" dev ")
          .append(dev)
          .append(" nud permanent\n");
    }
  }

  /**
   * The fabric's own interfaces (switch ports and bridges) neither solicit routers nor get a
   * link-local address, except the switch bridges of advertising routers, whose link-local skips
   * DAD: a real switch and router are other kernels, so their router solicitations and duplicate
   * address detection must not leave multicast entries in the neighbour table this kernel shares
   * with the node. Set as the namespace's defaults before its links exist.
   */
  private void quietFabric() {
    fabric.writeFile("/proc/sys/net/ipv6/conf/default/accept_ra", "0");
    fabric.writeFile("/proc/sys/net/ipv6/conf/default/addr_gen_mode", "1");
    fabric.writeFile("/proc/sys/net/ipv6/conf/default/accept_dad", "0");
  }

  /**
   * The second router's namespace: link-local addresses on its ports (it advertises from them),
   * without DAD, no router solicitations of its own, and no forwarding — as a host the kernel does
   * not make entries from the pods' router solicitations ({@code ndisc_recv_rs}), which a real
   * router keeps in its own kernel, not the node's.
   */
  private static void quietRouter(NetnsShell router) {
    router.writeFile("/proc/sys/net/ipv6/conf/default/accept_ra", "0");
    router.writeFile("/proc/sys/net/ipv6/conf/default/accept_dad", "0");
  }

  /**
   * Programs the emulated router's (the switch bridge's) neighbour entries for the pods' uplink
   * interfaces as permanent, from the MACs their plugins reported: their addresses, and their
   * link-local address (EUI-64 of the MAC, the kernel's default {@code addr_gen_mode}), which the
   * router learns whenever a pod solicits it from link-local (while its global address is still
   * tentative) and then keeps as a counted entry.
   *
   * <p>A real node's router is outside the node and its entries cost the node nothing; here it
   * shares the kernel, and since Linux 4.19 permanent entries are exempt from the gc_thresh
   * accounting ({@code net/core/neighbour.c}, {@code exempt_from_gc}) — so the emulation does not
   * count against the node's limits. (Like a router fed by EVPN or static neighbour config: it
   * never has to resolve or learn the pods.)
   */
  void pinRouterEntries(List<LocalPod> pods, List<LocalNetwork> networks) {
    pin(routerEntries(pods, networks));
  }

  /** Removes the router's entries for pods that are gone (an entry already gone is fine). */
  void unpinRouterEntries(List<LocalPod> pods, List<LocalNetwork> networks) {
    unpin(routerEntries(pods, networks));
  }

  /**
   * What the emulated router knows of one pod interface on an uplink network.
   *
   * @param tor the switch bridge in the fabric
   * @param mac the interface's MAC
   * @param addresses its addresses and, for IPv6, its link-local address
   */
  record RouterEntry(String tor, String mac, List<String> addresses) {
    RouterEntry {
      addresses = List.copyOf(addresses);
    }
  }

  /** Programs the router's entries as permanent ({@link #pinRouterEntries}). */
  void pin(List<RouterEntry> entries) {
    StringBuilder b = new StringBuilder();
    for (RouterEntry e : entries) {
      for (String a : e.addresses()) {
        b.append("neigh replace ")
            .append(a)
            .append(" lladdr ")
            .append(e.mac())
            .append(" dev ")
            .append(e.tor())
            .append(" nud permanent\n");
      }
    }
    if (b.length() > 0) {
      batch(fabric, b.toString(), "pin the router's entries for the pods");
    }
  }

  /** Removes router entries (an entry already gone is fine). */
  void unpin(List<RouterEntry> entries) {
    StringBuilder b = new StringBuilder();
    for (RouterEntry e : entries) {
      e.addresses()
          .forEach(
              a -> b.append("neigh del ").append(a).append(" dev ").append(e.tor()).append('\n'));
    }
    if (b.length() > 0) {
      // -force: go on past entries the kernel already dropped with their neighbour
      fabric.run(
          Command.of("ip", "-force", "-batch", "-")
              .withStdin(b.toString())
              .withTimeout(BATCH_TIMEOUT));
    }
  }

  /** The router's entry for an interface with these addresses and MAC on uplink {@code k}. */
  RouterEntry routerEntry(int uplink, String mac, List<String> addresses) {
    List<String> all = new ArrayList<>(addresses);
    if (addresses.stream().anyMatch(a -> a.contains(":"))) {
      all.add(linkLocal(mac));
    }
    return new RouterEntry(names.tor(uplink), mac, all);
  }

  /**
   * Puts gateway addresses (with prefix length) on the switch bridge of uplink {@code k}, where the
   * segment's router answers; an address already there is fine.
   */
  void addGateways(int uplink, List<String> gateways) {
    StringBuilder f = new StringBuilder();
    for (String gw : gateways) {
      f.append("addr replace ")
          .append(gw)
          .append(" dev ")
          .append(names.tor(uplink))
          .append(gw.contains(":") ? " nodad" : "")
          .append('\n');
    }
    if (f.length() > 0) {
      batch(fabric, f.toString(), "give the router its gateway addresses");
    }
  }

  private List<RouterEntry> routerEntries(List<LocalPod> pods, List<LocalNetwork> networks) {
    List<RouterEntry> out = new ArrayList<>();
    forEachUplinkInterface(
        pods, networks, (addresses, mac, tor) -> out.add(new RouterEntry(tor, mac, addresses)));
    return out;
  }

  private interface UplinkInterface {
    /**
     * @param addresses what the router would learn of the interface: its addresses and, for IPv6,
     *     its link-local address
     */
    void accept(List<String> addresses, String mac, String tor);
  }

  /** Each pod interface on a network whose gateway is the emulated router, with its MAC. */
  private void forEachUplinkInterface(
      List<LocalPod> pods, List<LocalNetwork> networks, UplinkInterface action) {
    for (LocalPod p : pods) {
      for (var i : p.interfaces()) {
        String mac = p.macs().getOrDefault(i.ifname(), "");
        if (mac.isEmpty()) {
          continue;
        }
        networks.stream()
            .filter(n -> n.name().equals(i.network()) && n.gatewayInFabric())
            .findFirst()
            .ifPresent(
                n -> {
                  List<String> addresses = new ArrayList<>(i.addresses());
                  if (i.addresses().stream().anyMatch(a -> a.contains(":"))) {
                    addresses.add(linkLocal(mac));
                  }
                  action.accept(addresses, mac, names.tor(n.uplink()));
                });
      }
    }
  }

  /** The EUI-64 link-local address the kernel gives an interface with this MAC. */
  static String linkLocal(String mac) {
    MACAddress m = new MACAddressString(mac).getAddress();
    if (m == null) {
      throw new InfrastructureException("not a MAC address: " + mac);
    }
    return m.toLinkLocalIPv6().toCompressedString();
  }

  /** Runs an {@code ip -batch}; a failure names what it was for and the first error. */
  static void batch(NodeShell sh, String commands, String what) {
    var r = sh.run(Command.of("ip", "-batch", "-").withStdin(commands).withTimeout(BATCH_TIMEOUT));
    if (!r.ok()) {
      throw new InfrastructureException(
          "cannot " + what + " in " + sh.describe() + ": " + r.firstErrorLine());
    }
  }
}
