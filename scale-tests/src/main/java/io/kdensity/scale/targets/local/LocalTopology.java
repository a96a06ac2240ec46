package io.kdensity.scale.targets.local;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.targets.InfrastructureException;
import java.time.Duration;
import java.util.List;

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

  LocalTopology(LocalNames names, TargetSpec.Local spec, LocalShell host) {
    this.names = names;
    this.spec = spec;
    this.host = host;
    this.node = new NetnsShell(names.node(), host);
    this.fabric = new NetnsShell(names.fabric(), host);
  }

  NetnsShell node() {
    return node;
  }

  NetnsShell fabric() {
    return fabric;
  }

  /** Creates the node and fabric namespaces, the uplinks, the switch bridges and gateways. */
  void create(List<LocalNetwork> networks) {
    StringBuilder root = new StringBuilder();
    root.append("netns add ").append(names.node()).append('\n');
    root.append("netns add ").append(names.fabric()).append('\n');
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
    }
    batch(host, root.toString(), "create the node and fabric");
    StringBuilder n = new StringBuilder("link set lo up\n");
    StringBuilder f = new StringBuilder("link set lo up\n");
    for (int k = 0; k < spec.uplinks(); k++) {
      n.append("link set ").append(names.uplink(k)).append(" up\n");
      f.append("link add ").append(names.tor(k)).append(" type bridge\n");
      f.append("link set ")
          .append(names.switchPort(k))
          .append(" master ")
          .append(names.tor(k))
          .append(" up\n");
      f.append("link set ").append(names.tor(k)).append(" up\n");
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
    // the node routes between its pods' veths like a real worker node
    node.writeFile("/proc/sys/net/ipv6/conf/all/forwarding", "1");
    node.writeFile("/proc/sys/net/ipv4/ip_forward", "1");
  }

  /**
   * Empties the neighbour tables of the run's node and fabric namespaces, so every step measures
   * its own pods' entries and not the stale ones of pods removed by bisection.
   */
  void flushNeighbours() {
    for (NodeShell sh : List.of(node, fabric)) {
      sh.run(Command.of("ip", "-6", "neigh", "flush", "all"));
      sh.run(Command.of("ip", "-4", "neigh", "flush", "all"));
    }
  }

  /**
   * Programs the emulated router's (the switch bridge's) neighbour entries for the pods' uplink
   * addresses as permanent, from the MACs their plugins reported. A real node's router is outside
   * the node and its entries cost the node nothing; here it shares the kernel, and since Linux 4.19
   * permanent entries are exempt from the gc_thresh accounting ({@code net/core/neighbour.c},
   * {@code exempt_from_gc}) — so the emulation no longer counts against the node's limits. (Like a
   * router fed by EVPN or static neighbour config: it never has to resolve the pods.)
   */
  void pinRouterEntries(List<LocalPod> pods, List<LocalNetwork> networks) {
    StringBuilder b = new StringBuilder();
    forEachUplinkAddress(
        pods,
        networks,
        (pod, addr, tor) -> {
          String mac = pod.macs().getOrDefault(pod.interfaceOf(addr), "");
          if (!mac.isEmpty()) {
            b.append("neigh replace ")
                .append(addr)
                .append(" lladdr ")
                .append(mac)
                .append(" dev ")
                .append(tor)
                .append(" nud permanent\n");
          }
        });
    if (b.length() > 0) {
      batch(fabric, b.toString(), "pin the router's entries for the pods");
    }
  }

  /** Removes the router's entries for pods that are gone (an entry already gone is fine). */
  void unpinRouterEntries(List<LocalPod> pods, List<LocalNetwork> networks) {
    StringBuilder b = new StringBuilder();
    forEachUplinkAddress(
        pods,
        networks,
        (pod, addr, tor) ->
            b.append("neigh del ").append(addr).append(" dev ").append(tor).append('\n'));
    if (b.length() > 0) {
      // -force: go on past entries the kernel already dropped with their neighbour
      fabric.run(
          Command.of("ip", "-force", "-batch", "-")
              .withStdin(b.toString())
              .withTimeout(BATCH_TIMEOUT));
    }
  }

  private interface UplinkAddress {
    void accept(LocalPod pod, String address, String tor);
  }

  private void forEachUplinkAddress(
      List<LocalPod> pods, List<LocalNetwork> networks, UplinkAddress action) {
    for (LocalPod p : pods) {
      for (var i : p.interfaces()) {
        networks.stream()
            .filter(n -> n.name().equals(i.network()) && n.gatewayInFabric())
            .findFirst()
            .ifPresent(n -> i.addresses().forEach(a -> action.accept(p, a, names.tor(n.uplink()))));
      }
    }
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
