package io.kdensity.scale.targets.local;

import io.kdensity.probes.addr.AddressInfo;
import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.addr.IfInet6Parser;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.RunningProcess;
import io.kdensity.probes.shell.ShellException;
import io.kdensity.scale.plan.NetlinkAttach;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.Subnet;
import io.kdensity.scale.targets.AttachFailures;
import io.kdensity.scale.targets.Futures;
import io.kdensity.scale.targets.InfrastructureException;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.HdrHistogram.ConcurrentHistogram;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * {@code attach: netlink}: makes the kernel objects the CNI plugins would make for each pod, with
 * batched netlink requests instead of two plugin processes per interface. Per step: one {@code ip
 * -batch} in the node creates every new link directly in its pod's namespace (a veth's pod end, a
 * macvlan on its uplink) and configures the node's ends; one per pod configures the pod's ends; for
 * ptp, once the pod's address has passed DAD, one more per pod adds its routes (the kernel refuses
 * a source address that is still tentative, which is why the ptp plugin waits too).
 *
 * <p>What each plugin leaves behind (Debian's plugins 1.1.1, checked object by object in {@code
 * AttachModesIT}):
 *
 * <ul>
 *   <li>ptp: a veth; the node's end up with the gateway as a /128 (/32) and a host route to each
 *       pod address, {@code accept_ra=0}; the pod's end up with its addresses, a route to the
 *       gateway and the subnet routed through it (the kernel's prefix route removed), and the
 *       IPAM's routes via the gateway.
 *   <li>macvlan: a macvlan of the uplink in the plan's mode, {@code arp_notify=1}, up, addressed.
 *   <li>bridge: a veth whose node end ({@code accept_ra=0}) is a port of the network's bridge
 *       (created at setup with the gateway on it and {@code accept_ra=0}, as the plugin's first ADD
 *       does); the pod's end with {@code arp_notify=1} and DAD off, up and addressed.
 * </ul>
 *
 * MACs are fixed per pod and interface ({@code 02:ii:pp:pp:pp:pp}, the node's veth end {@code
 * 06:…}) where the plugins draw random ones; both are locally administered unicast addresses. Link
 * and address failures (a full bridge) are findings like a plugin's error, with the kernel's words.
 */
final class NetlinkWiring {
  /** How long a pod address may stay tentative before its interface counts as failed. */
  static final Duration DAD_TIMEOUT = Duration.ofSeconds(30);

  /** How often the pods' address flags are read while DAD runs. */
  static final Duration DAD_POLL = Duration.ofMillis(50);

  /**
   * Writes each (path, value) pair it is given, then runs the {@code ip} batch on its standard
   * input, going on past failing lines. A constant: paths and values are arguments, never code.
   */
  static final String POD_SCRIPT = PodAnchor.WRITE_PAIRS + "; exec ip -force -batch -";

  private final Plan plan;
  private final LocalShell host;
  private final NetnsShell node;
  private final List<LocalNetwork> networks;

  /** The IPAM routes of each network, in the order of {@link #networks}: parsed once. */
  private final List<List<NetlinkAttach.Route>> routes;

  private final Clock clock;
  private final ExecutorService pool;

  NetlinkWiring(
      Plan plan,
      LocalShell host,
      NetnsShell node,
      List<LocalNetwork> networks,
      Clock clock,
      ExecutorService pool) {
    this.plan = plan;
    this.host = host;
    this.node = node;
    this.networks = List.copyOf(networks);
    List<List<NetlinkAttach.Route>> r =
        new ArrayList<>(List.of(NetlinkAttach.routes(plan.primary())));
    plan.attachments().forEach(a -> r.add(NetlinkAttach.routes(a)));
    this.routes = List.copyOf(r);
    this.clock = clock;
    this.pool = pool;
  }

  /** A pod whose namespace exists and whose anchor runs, waiting for its interfaces. */
  record Slot(int index, String namespace, RunningProcess anchor, long startedAt) {}

  /** What a pod was given. */
  record Wired(
      List<PodInterface> interfaces, Map<String, String> peers, Map<String, String> macs) {}

  /** One interface to make. */
  private record Planned(
      Slot pod,
      LocalNetwork net,
      String ifname,
      String mac,
      String hostLink,
      String hostMac,
      List<String> addresses,
      List<NetlinkAttach.Route> routes) {

    String key() {
      return pod.namespace() + "/" + ifname;
    }

    boolean hasVeth() {
      return !hostLink.isEmpty();
    }
  }

  /**
   * Creates the bridges of bridge networks with their gateway, as the bridge plugin's first ADD
   * does (it creates a missing bridge and, with {@code isGateway}, puts the gateway on it).
   */
  void prepare() {
    StringBuilder b = new StringBuilder();
    for (LocalNetwork net : networks) {
      if (!net.type().equals("bridge")) {
        continue;
      }
      b.append("link add ").append(net.master()).append(" type bridge\n");
      b.append("link set ").append(net.master()).append(" up\n");
      if (net.config().flag("isGateway")) {
        for (String gw : net.gateways()) {
          b.append("addr add ").append(gw).append(" dev ").append(net.master()).append('\n');
        }
      }
    }
    if (b.length() > 0) {
      LocalTopology.batch(node, b.toString(), "create the bridge networks' bridges");
      for (LocalNetwork net : networks) {
        if (net.type().equals("bridge")) {
          node.writeFile("/proc/sys/net/ipv6/conf/" + net.master() + "/accept_ra", "0");
        }
      }
    }
  }

  /**
   * Wires the pods' interfaces; failures go to {@code failures}, latencies (from the start of the
   * step's batch to the pod's last interface configured) to {@code attach} (once per interface) and
   * {@code ready} (from the anchor's start).
   */
  Map<Integer, Wired> wire(
      List<Slot> pods,
      ConcurrentHistogram attach,
      ConcurrentHistogram ready,
      AttachFailures.Log failures) {
    long t0 = clock.monotonicTime();
    List<Planned> all = new ArrayList<>();
    for (Slot p : pods) {
      for (int i = 0; i <= plan.interfacesPerPod(); i++) {
        all.add(plan(p, i));
      }
    }
    Map<String, String> failed = new HashMap<>();
    runNodeBatch(all, failed);
    setNodeSysctls(all, failed);
    Map<Integer, List<Planned>> byPod = new LinkedHashMap<>();
    all.forEach(x -> byPod.computeIfAbsent(x.pod().index(), k -> new ArrayList<>()).add(x));
    List<Future<Map<String, String>>> phase1 = new ArrayList<>();
    for (List<Planned> ifs : byPod.values()) {
      Set<String> skip = keysOf(ifs, failed);
      phase1.add(pool.submit(() -> configurePod(ifs, skip)));
    }
    phase1.forEach(f -> failed.putAll(Futures.join(f)));
    // written by the main thread and the pool at once
    Map<Integer, Long> doneAt = new ConcurrentHashMap<>();
    List<Future<Map<String, String>>> phase2 = new ArrayList<>();
    Map<Integer, List<Planned>> routed = waitForDad(byPod, failed);
    for (var e : byPod.entrySet()) {
      List<Planned> ptp = routed.getOrDefault(e.getKey(), List.of());
      if (ptp.isEmpty()) {
        doneAt.put(e.getKey(), clock.monotonicTime());
        continue;
      }
      int index = e.getKey();
      phase2.add(
          pool.submit(
              () -> {
                Map<String, String> f = routePod(ptp);
                doneAt.put(index, clock.monotonicTime());
                return f;
              }));
    }
    phase2.forEach(f -> failed.putAll(Futures.join(f)));
    Map<Integer, Wired> out = new HashMap<>();
    for (var e : byPod.entrySet()) {
      List<PodInterface> ifaces = new ArrayList<>();
      Map<String, String> peers = new HashMap<>();
      Map<String, String> macs = new HashMap<>();
      long done = doneAt.getOrDefault(e.getKey(), clock.monotonicTime());
      Slot pod = e.getValue().get(0).pod();
      for (Planned x : e.getValue()) {
        if (x.hasVeth()) {
          peers.put(x.ifname(), x.hostLink());
        }
        String why = failed.get(x.key());
        if (why != null) {
          failures.add(x.net().name(), x.net().type(), pod.namespace(), x.ifname(), why);
          continue;
        }
        attach.recordValue(Math.max(1, (done - t0) / 1000));
        List<String> addrs =
            x.addresses().stream()
                .map(a -> Addresses.canonical(a.substring(0, a.indexOf('/'))))
                .toList();
        ifaces.add(
            new PodInterface(
                x.ifname(), x.net().name(), x.net().type(), x.net().master(), addrs, done));
        macs.put(x.ifname(), x.mac());
      }
      ready.recordValue(Math.max(1, (done - pod.startedAt()) / 1000));
      out.put(e.getKey(), new Wired(ifaces, peers, macs));
    }
    return out;
  }

  private static Set<String> keysOf(List<Planned> ifs, Map<String, String> failed) {
    Set<String> out = new HashSet<>();
    ifs.forEach(
        x -> {
          if (failed.containsKey(x.key())) {
            out.add(x.key());
          }
        });
    return out;
  }

  private Planned plan(Slot pod, int i) {
    int n = PodLifecycle.networkIndex(i, networks.size());
    LocalNetwork net = networks.get(n);
    boolean veth = !net.type().equals("macvlan");
    String id =
        String.format(
            "%02x:%02x:%02x:%02x:%02x",
            i,
            (pod.index() >>> 24) & 0xff,
            (pod.index() >>> 16) & 0xff,
            (pod.index() >>> 8) & 0xff,
            pod.index() & 0xff);
    return new Planned(
        pod,
        net,
        PodLifecycle.ifname(i),
        "02:" + id,
        veth ? String.format("veth%06x%02x", pod.index(), i) : "",
        veth ? "06:" + id : "",
        plan.plannedAddresses(pod.index(), i),
        routes.get(n));
  }

  /** Creates every link of the step in its pod's namespace and configures the node's ends. */
  private void runNodeBatch(List<Planned> all, Map<String, String> failed) {
    Batch b = new Batch();
    for (Planned x : all) {
      String mtu =
          x.net().config().field("mtu").isEmpty() ? "" : " mtu " + x.net().config().field("mtu");
      if (x.hasVeth()) {
        b.add(
            x.key(),
            "link add "
                + x.hostLink()
                + " address "
                + x.hostMac()
                + mtu
                + " txqueuelen 0 type veth peer name "
                + x.ifname()
                + " address "
                + x.mac()
                + mtu
                + " txqueuelen 0 netns "
                + x.pod().namespace());
      } else {
        String mode = x.net().config().field("mode");
        b.add(
            x.key(),
            "link add link "
                + x.net().master()
                + " name "
                + x.ifname()
                + " address "
                + x.mac()
                + mtu
                + " txqueuelen 0 netns "
                + x.pod().namespace()
                + " type macvlan mode "
                + (mode.isEmpty() ? "bridge" : mode));
        continue;
      }
      if (x.net().type().equals("bridge")) {
        b.add(x.key(), "link set " + x.hostLink() + " master " + x.net().master() + " up");
        continue;
      }
      b.add(x.key(), "link set " + x.hostLink() + " up");
      for (String a : x.addresses()) {
        String gw = gatewayOf(x.net(), a);
        if (!gw.isEmpty()) {
          b.add(x.key(), "addr add " + gw + (isV6(a) ? "/128" : "/32") + " dev " + x.hostLink());
        }
        b.add(
            x.key(),
            "route add "
                + hostOf(a)
                + (isV6(a)
                    ? "/128 dev " + x.hostLink()
                    : "/32 dev " + x.hostLink() + " scope host"));
      }
    }
    failed.putAll(b.run(node, "create the pods' links in " + node.describe()));
  }

  /** The ptp and bridge plugins turn router advertisements off on the node's end of each veth. */
  private void setNodeSysctls(List<Planned> all, Map<String, String> failed) {
    List<String> args = new ArrayList<>(List.of("sh", "-c", PodAnchor.WRITE_PAIRS, "sh"));
    for (Planned x : all) {
      if (x.hasVeth() && !failed.containsKey(x.key())) {
        args.add("/proc/sys/net/ipv6/conf/" + x.hostLink() + "/accept_ra");
        args.add("0");
      }
    }
    if (args.size() > 4) {
      CommandResult r = node.run(Command.of(args).withTimeout(LocalTopology.BATCH_TIMEOUT));
      if (!r.ok()) {
        throw new InfrastructureException(
            "cannot set the veths' sysctls in " + node.describe() + ": " + r.firstErrorLine());
      }
    }
  }

  /** The pod's ends: sysctls, up, addresses; routes except ptp's (they wait for DAD). */
  private Map<String, String> configurePod(List<Planned> ifs, Set<String> failedAtNode) {
    Slot pod = ifs.get(0).pod();
    List<String> argv = new ArrayList<>(List.of("sh", "-c", POD_SCRIPT, "sh"));
    Batch b = new Batch();
    for (Planned x : ifs) {
      if (failedAtNode.contains(x.key())) {
        // a veth made before its bridge refused the port: the plugin removes it, so do we
        b.add("", "link del " + x.ifname());
        continue;
      }
      if (!x.net().type().equals("ptp")) {
        // macvlan and bridge announce the pod's addresses when the link comes up
        argv.add("/proc/sys/net/ipv4/conf/" + x.ifname() + "/arp_notify");
        argv.add("1");
      }
      if (x.net().type().equals("bridge") && x.addresses().stream().anyMatch(NetlinkWiring::isV6)) {
        // the bridge plugin turns DAD off (a hairpin port would see its own solicitation)
        argv.add("/proc/sys/net/ipv6/conf/" + x.ifname() + "/accept_dad");
        argv.add("0");
      }
      b.add(x.key(), "link set " + x.ifname() + " up");
      for (String a : x.addresses()) {
        b.add(x.key(), "addr add " + a + " dev " + x.ifname());
      }
      if (!x.net().type().equals("ptp")) {
        for (String r : routesVia(x)) {
          b.add(x.key(), r);
        }
      }
    }
    NetnsShell sh = new NetnsShell(pod.namespace(), host);
    CommandResult r;
    try {
      r = sh.run(Command.of(argv).withStdin(b.text()).withTimeout(LocalTopology.BATCH_TIMEOUT));
    } catch (ShellException e) {
      return allFailed(ifs, failedAtNode, e.getMessage());
    }
    if (!r.ok() && !r.stderr().contains("Command failed")) {
      return allFailed(ifs, failedAtNode, r.firstErrorLine());
    }
    return b.failures(r.stderr());
  }

  private static Map<String, String> allFailed(List<Planned> ifs, Set<String> already, String why) {
    Map<String, String> out = new HashMap<>();
    ifs.stream().filter(x -> !already.contains(x.key())).forEach(x -> out.put(x.key(), why));
    return out;
  }

  /**
   * Waits until the pods' ptp interfaces' IPv6 addresses have passed DAD (read from the anchors'
   * {@code /proc/<pid>/net/if_inet6}, no process per poll); an address that fails DAD or stays
   * tentative fails its interface.
   *
   * @return the ptp interfaces ready for their routes, by pod
   */
  private Map<Integer, List<Planned>> waitForDad(
      Map<Integer, List<Planned>> byPod, Map<String, String> failed) {
    Map<Integer, List<Planned>> pending = new HashMap<>();
    byPod.forEach(
        (pod, ifs) -> {
          List<Planned> ptp =
              ifs.stream()
                  .filter(x -> x.net().type().equals("ptp") && !failed.containsKey(x.key()))
                  .toList();
          if (!ptp.isEmpty()) {
            pending.put(pod, ptp);
          }
        });
    Map<Integer, List<Planned>> ready = new HashMap<>();
    try {
      Awaitility.await("the pods' ptp addresses to pass DAD")
          .atMost(DAD_TIMEOUT)
          .pollDelay(Duration.ZERO)
          .pollInterval(DAD_POLL)
          .pollInSameThread()
          .until(
              () -> {
                pending.entrySet().removeIf(e -> settled(e.getKey(), e.getValue(), ready, failed));
                return pending.isEmpty();
              });
    } catch (ConditionTimeoutException e) {
      pending.values().stream()
          .flatMap(List::stream)
          .forEach(
              x ->
                  failed.put(
                      x.key(), "address still tentative after " + DAD_TIMEOUT.toSeconds() + " s"));
    }
    return ready;
  }

  /**
   * Whether a pod's ptp addresses are past DAD (then its interfaces that did not fail it go to
   * {@code ready}); a pod whose flags cannot be read fails, and counts as settled.
   */
  private boolean settled(
      int index, List<Planned> ptp, Map<Integer, List<Planned>> ready, Map<String, String> failed) {
    Slot pod = ptp.get(0).pod();
    List<AddressInfo> addrs;
    try {
      addrs =
          IfInet6Parser.parse(
              host.readFile("/proc/" + pod.anchor().pid() + "/net/if_inet6"),
              "if_inet6 of " + pod.namespace());
    } catch (ShellException ex) {
      ptp.forEach(x -> failed.put(x.key(), ex.getMessage()));
      return true;
    }
    boolean settled = true;
    for (Planned x : ptp) {
      for (AddressInfo a : addrs) {
        if (!a.ifname().equals(x.ifname()) || a.scope().equals("link")) {
          continue;
        }
        if (a.dadfailed()) {
          failed.put(x.key(), "duplicate address detected: " + a.address());
        } else if (a.tentative()) {
          settled = false;
        }
      }
    }
    if (settled) {
      ready.put(index, ptp.stream().filter(x -> !failed.containsKey(x.key())).toList());
    }
    return settled;
  }

  /** ptp's pod-side routes: to the gateway, the subnet through it, the IPAM's routes. */
  private Map<String, String> routePod(List<Planned> ptp) {
    Slot pod = ptp.get(0).pod();
    Batch b = new Batch();
    for (Planned x : ptp) {
      for (String a : x.addresses()) {
        String gw = gatewayOf(x.net(), a);
        if (gw.isEmpty()) {
          continue;
        }
        String host = hostOf(a);
        String subnet = Subnet.of(a).toString();
        b.add(x.key(), "route del " + subnet + " dev " + x.ifname());
        b.add(
            x.key(),
            "route add "
                + gw
                + (isV6(a) ? "/128" : "/32")
                + " dev "
                + x.ifname()
                + (isV6(a) ? "" : " scope link")
                + " src "
                + host);
        b.add(
            x.key(), "route add " + subnet + " via " + gw + " dev " + x.ifname() + " src " + host);
      }
      for (String r : routesVia(x)) {
        b.add(x.key(), r);
      }
    }
    NetnsShell sh = new NetnsShell(pod.namespace(), host);
    CommandResult r =
        sh.run(
            Command.of("ip", "-force", "-batch", "-")
                .withStdin(b.text())
                .withTimeout(LocalTopology.BATCH_TIMEOUT));
    return b.failures(r.stderr());
  }

  /** The IPAM config's routes of the interface, each via its gateway of the same family. */
  private List<String> routesVia(Planned x) {
    List<String> out = new ArrayList<>();
    for (NetlinkAttach.Route r : x.routes()) {
      boolean v6 = isV6(r.dst());
      String gw = r.gateway();
      if (gw.isEmpty()) {
        gw =
            x.addresses().stream()
                .filter(a -> isV6(a) == v6)
                .map(a -> gatewayOf(x.net(), a))
                .filter(g -> !g.isEmpty())
                .findFirst()
                .orElse("");
      }
      out.add("route add " + r.dst() + (gw.isEmpty() ? "" : " via " + gw) + " dev " + x.ifname());
    }
    return out;
  }

  /** The network's gateway in the subnet of {@code address} (CIDR), or "". */
  private static String gatewayOf(LocalNetwork net, String address) {
    Subnet s = Subnet.of(address);
    for (String gw : net.gateways()) {
      String g = gw.substring(0, gw.indexOf('/'));
      if (Subnet.of(g + "/" + s.prefixLength()).toString().equals(s.toString())) {
        return g;
      }
    }
    return "";
  }

  private static String hostOf(String cidr) {
    return cidr.substring(0, cidr.indexOf('/'));
  }

  private static boolean isV6(String address) {
    return address.contains(":");
  }

  /**
   * An {@code ip -force -batch} being built: each line remembers the interface it is for, so the
   * kernel's errors ({@code Command failed -:N} after the message) name the interface they fail.
   */
  static final class Batch {
    private final StringBuilder text = new StringBuilder();
    private final List<String> owners = new ArrayList<>();

    void add(String owner, String line) {
      text.append(line).append('\n');
      owners.add(owner);
    }

    String text() {
      return text.toString();
    }

    Map<String, String> run(NetnsShell sh, String what) {
      if (owners.isEmpty()) {
        return Map.of();
      }
      CommandResult r =
          sh.run(
              Command.of("ip", "-force", "-batch", "-")
                  .withStdin(text())
                  .withTimeout(LocalTopology.BATCH_TIMEOUT));
      if (!r.ok() && !r.stderr().contains("Command failed")) {
        throw new InfrastructureException("cannot " + what + ": " + r.firstErrorLine());
      }
      return failures(r.stderr());
    }

    /**
     * The failing lines' owners, each with the kernel's message (the lines printed before {@code
     * Command failed -:N}); the first failure of an owner wins.
     */
    Map<String, String> failures(String stderr) {
      Map<String, String> out = new HashMap<>();
      StringBuilder message = new StringBuilder();
      for (String line : stderr.split("\n")) {
        if (line.startsWith("Command failed -:")) {
          int n = Integer.parseInt(line.substring("Command failed -:".length()).strip());
          String owner = n >= 1 && n <= owners.size() ? owners.get(n - 1) : "";
          if (!owner.isEmpty()) {
            out.putIfAbsent(owner, message.toString().strip());
          }
          message.setLength(0);
        } else if (!line.isBlank()) {
          message.append(message.length() > 0 ? "; " : "").append(line.strip());
        }
      }
      return out;
    }
  }
}
