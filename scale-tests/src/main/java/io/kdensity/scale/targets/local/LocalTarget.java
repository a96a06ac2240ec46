package io.kdensity.scale.targets.local;

import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.kernel.NetnsCleanup;
import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.link.LinkInfo;
import io.kdensity.probes.probe.Capacities;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.ShellException;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.targets.Futures;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.TrafficResult;
import io.kdensity.tuning.apply.LocalNodeAccess;
import io.kdensity.tuning.apply.NodeAccess;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.awaitility.Awaitility;

/**
 * A worker node emulated in network namespaces of this machine, wired by the real CNI plugins.
 *
 * <pre>
 *  pod kd-r-p00001            node kd-r-node                 fabric kd-r-fab
 *  eth0 ══ptp veth══ vethXXXX (routed, gateway on the node)
 *  net1 ══macvlan══ child of kd-r-up0 ══veth══ kd-r-fu0 ── bridge kd-r-tor0 (switch + gateway)
 *  net2 ══macvlan══ child of kd-r-up1 ══veth══ kd-r-fu1 ── bridge kd-r-tor1
 * </pre>
 *
 * <p>Every pod has an anchor process (like Kubernetes' pause container) so its counters and
 * addresses are read from {@code /proc/<pid>/net} without starting a process. Everything is named
 * {@code kd-<runid>-…} and lives in the run's own namespaces; the host's interfaces, addresses and
 * routes are never touched.
 */
public final class LocalTarget implements Target {
  private final Plan plan;
  private final TargetSpec.Local spec;
  private final LocalNames names;
  private final LocalShell host;
  private final NetnsShell node;
  private final NetnsShell fabric;
  private final CniInvoker cni;
  private final NodeFacts facts;
  private final Path stateDir;
  private final List<LocalNetwork> networks = new ArrayList<>();
  private final List<LocalPod> pods = Collections.synchronizedList(new ArrayList<>());
  private final ExecutorService pool;
  private final Reachability reachability;
  private volatile Map<String, String> podSysctls = Map.of();
  private volatile boolean closed;
  private volatile boolean aborted;
  private boolean setUp;

  public LocalTarget(Plan plan, LocalNames names, LocalShell host, NodeFacts facts) {
    this.plan = plan;
    this.spec = plan.target().local();
    this.names = names;
    this.host = host;
    this.facts = facts;
    this.node = new NetnsShell(names.node(), host);
    this.fabric = new NetnsShell(names.fabric(), host);
    this.cni = new CniInvoker(node, spec.cniDirs());
    this.stateDir = spec.stateDir().resolve(names.runId());
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            spec.attachConcurrency(),
            r -> {
              Thread t = new Thread(r, "kd-attach-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.reachability = new Reachability();
    int bridges = 0;
    networks.add(LocalNetwork.of(plan.primary(), names, stateDir.resolve("ipam"), bridges));
    for (var a : plan.attachments()) {
      LocalNetwork net = LocalNetwork.of(a, names, stateDir.resolve("ipam"), bridges);
      if (net.type().equals("bridge")) {
        bridges++;
      }
      networks.add(net);
    }
  }

  @Override
  public String describe() {
    return "local node emulation " + names.prefix() + "*";
  }

  @Override
  public String runId() {
    return names.runId();
  }

  @Override
  public void preflight() {
    new LocalPreflight(host, names, cni, spec).check(networks);
  }

  @Override
  public synchronized void setUp() {
    if (setUp) {
      return;
    }
    setUp = true;
    try {
      Files.createDirectories(stateDir.resolve("ipam"));
      // marks the run as alive, so `kdensity cleanup` leaves it alone while this process lives
      Files.writeString(
          stateDir.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      throw new InfrastructureException("cannot create " + stateDir + ": " + e.getMessage(), e);
    }
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

  private static void batch(NodeShell sh, String commands, String what) {
    var r =
        sh.run(
            Command.of("ip", "-batch", "-").withStdin(commands).withTimeout(Duration.ofMinutes(5)));
    if (!r.ok()) {
      throw new InfrastructureException(
          "cannot " + what + " in " + sh.describe() + ": " + r.firstErrorLine());
    }
  }

  @Override
  public void setPodSysctls(Map<String, String> sysctls) {
    this.podSysctls = Map.copyOf(sysctls);
  }

  @Override
  public int pods() {
    return pods.size();
  }

  @Override
  public ScaleResult scaleTo(int target) {
    if (closed) {
      throw new InfrastructureException("the target is closed");
    }
    long t0 = System.nanoTime();
    Histogram attach = new ConcurrentHistogram(3_600_000_000L, 3);
    Histogram ready = new ConcurrentHistogram(3_600_000_000L, 3);
    FailureLog failures = new FailureLog();
    if (target > pods.size()) {
      grow(target, attach, ready, failures);
    } else if (target < pods.size()) {
      shrink(target);
    }
    flushNeighbours();
    int ifs = 0;
    synchronized (pods) {
      for (LocalPod p : pods) {
        ifs += p.interfaces().size();
      }
    }
    return new ScaleResult(
        pods.size(),
        ifs,
        attach,
        ready,
        failures.findings(),
        Duration.ofNanos(System.nanoTime() - t0));
  }

  /**
   * Empties the neighbour tables of the run's node and fabric namespaces, so every step measures
   * its own pods' entries and not the stale ones of pods removed by bisection.
   */
  private void flushNeighbours() {
    for (NodeShell sh : List.of(node, fabric)) {
      sh.run(Command.of("ip", "-6", "neigh", "flush", "all"));
      sh.run(Command.of("ip", "-4", "neigh", "flush", "all"));
    }
  }

  private void grow(int target, Histogram attach, Histogram ready, FailureLog failures) {
    int from = pods.size();
    StringBuilder add = new StringBuilder();
    for (int i = from; i < target; i++) {
      add.append("netns add ").append(names.pod(i + 1)).append('\n');
    }
    batch(host, add.toString(), "create pod namespaces");
    List<Future<LocalPod>> futures = new ArrayList<>();
    for (int i = from; i < target; i++) {
      int index = i + 1;
      futures.add(pool.submit(() -> createPod(index, attach, ready, failures)));
    }
    List<LocalPod> created = new ArrayList<>();
    for (Future<LocalPod> f : futures) {
      created.add(Futures.join(f));
    }
    pods.addAll(created);
  }

  private LocalPod createPod(int index, Histogram attach, Histogram ready, FailureLog failures) {
    String ns = names.pod(index);
    long start = System.nanoTime();
    Process anchor = startAnchor(ns);
    List<PodInterface> ifaces = new ArrayList<>();
    List<String> hostLinks = new ArrayList<>();
    String netnsPath = "/run/netns/" + ns;
    for (int i = 0; i <= plan.interfacesPerPod(); i++) {
      LocalNetwork net =
          i == 0 ? networks.get(0) : networks.get(1 + (i - 1) % (networks.size() - 1));
      String ifname = i == 0 ? "eth0" : "net" + i;
      long a0 = System.nanoTime();
      try {
        CniResult r =
            i == 0
                ? cni.add(
                    ns,
                    netnsPath,
                    ifname,
                    CniInvoker.withStaticAddresses(
                        net.config(), plan.primaryAddresses(index), plan.primary().gateways()))
                : cni.add(ns, netnsPath, ifname, net.config(), plan.podAddresses(index, i));
        attach.recordValue(Math.max(1, (System.nanoTime() - a0) / 1000));
        List<String> addrs = r.addresses().stream().map(Addresses::canonical).toList();
        ifaces.add(new PodInterface(ifname, net.name(), net.type(), net.master(), addrs));
        // the bridge of a bridge network stays; the per-pod host veths go with the pod
        r.hostInterfaces().stream().filter(n -> !n.equals(net.master())).forEach(hostLinks::add);
      } catch (CniException e) {
        failures.add(net, ns, ifname, e);
      }
    }
    ready.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
    return new LocalPod(index, ns, anchor, ifaces, hostLinks);
  }

  /**
   * Starts the pod's anchor process inside its namespace: it first sets the pod's sysctls (before
   * any interface exists, so {@code default.*} applies to them) and then sleeps, like a pause
   * container.
   */
  private Process startAnchor(String ns) {
    StringBuilder sh = new StringBuilder();
    for (Map.Entry<String, String> e : podSysctls.entrySet()) {
      sh.append("printf '%s\\n' '")
          .append(e.getValue())
          .append("' > ")
          .append(new io.kdensity.probes.sysctl.Sysctl(e.getKey()).path())
          .append(" && ");
    }
    sh.append("echo ready && exec sleep 2147483647");
    try {
      Process p =
          new ProcessBuilder("nsenter", "--net=/run/netns/" + ns, "--", "sh", "-c", sh.toString())
              .redirectErrorStream(true)
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      BufferedReader out =
          new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line = out.readLine();
      if (!"ready".equals(line)) {
        p.destroyForcibly();
        throw new InfrastructureException("cannot start the anchor process of " + ns + ": " + line);
      }
      return p;
    } catch (IOException e) {
      throw new InfrastructureException(
          "cannot start the anchor process of " + ns + ": " + e.getMessage(), e);
    }
  }

  private void shrink(int target) {
    List<LocalPod> gone;
    synchronized (pods) {
      gone = new ArrayList<>(pods.subList(target, pods.size()));
      pods.subList(target, pods.size()).clear();
    }
    removePods(gone);
  }

  /**
   * CNI DEL of every interface (last first, like kubelet), then the namespace; waits until gone.
   */
  private void removePods(List<LocalPod> gone) {
    List<Future<?>> futures = new ArrayList<>();
    for (LocalPod p : gone) {
      futures.add(pool.submit(() -> deletePod(p)));
    }
    for (Future<?> f : futures) {
      Futures.join(f);
    }
    StringBuilder del = new StringBuilder();
    for (LocalPod p : gone) {
      del.append("netns del ").append(p.name()).append('\n');
    }
    if (!gone.isEmpty()) {
      batch(host, del.toString(), "delete pod namespaces");
      Set<String> links = new HashSet<>();
      gone.forEach(p -> links.addAll(p.hostLinks()));
      waitUntilGone(links);
    }
  }

  private void deletePod(LocalPod p) {
    String netnsPath = "/run/netns/" + p.name();
    List<PodInterface> ifs = new ArrayList<>(p.interfaces());
    Collections.reverse(ifs);
    for (PodInterface i : ifs) {
      LocalNetwork net =
          networks.stream().filter(n -> n.name().equals(i.network())).findFirst().orElseThrow();
      try {
        if (i.ifname().startsWith("net")) {
          cni.del(
              p.name(),
              netnsPath,
              i.ifname(),
              net.config(),
              plan.podAddresses(p.index(), Integer.parseInt(i.ifname().substring(3))));
        } else {
          cni.del(
              p.name(),
              netnsPath,
              i.ifname(),
              CniInvoker.withStaticAddresses(
                  net.config(), plan.primaryAddresses(p.index()), plan.primary().gateways()));
        }
      } catch (CniException e) {
        // DEL must be idempotent; a plugin that fails here leaves nothing we can fix per pod
      }
    }
    p.anchor().destroyForcibly();
    try {
      p.anchor().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Namespace deletion returns at once; the kernel frees links later. Wait for it. */
  private void waitUntilGone(Set<String> hostLinks) {
    if (hostLinks.isEmpty()) {
      return;
    }
    Awaitility.await("host-side links of removed pods to disappear")
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              var r = node.run(Command.of("ip", "-j", "link"));
              for (LinkInfo l :
                  IpLinkParser.parse(r.stdout(), "ip -j link in " + node.describe())) {
                if (hostLinks.contains(l.name())) {
                  return false;
                }
              }
              return true;
            });
  }

  @Override
  public ProbeScope scope() {
    List<PodView> views = new ArrayList<>();
    synchronized (pods) {
      for (LocalPod p : pods) {
        views.add(
            new PodView(
                p.name(),
                new NetnsShell(p.name(), host).withAnchor(p.anchor().pid()),
                p.interfaces()));
      }
    }
    List<NodeShell> sockets = new ArrayList<>(List.of(node, fabric));
    if (plan.traffic().udp().enabled()) {
      views.stream().limit(plan.traffic().udp().pods()).forEach(v -> sockets.add(v.shell()));
    }
    return new ProbeScope(
        host,
        node,
        List.of(fabric),
        views,
        sockets,
        List.of(node, fabric),
        new Capacities(spec.switchMacTable(), spec.nicUnicastFilter(), 1023),
        facts,
        Map.of());
  }

  @Override
  public TrafficResult traffic(Traffic traffic, Duration hold) {
    long t0 = System.nanoTime();
    Map<String, Boolean> reach = new LinkedHashMap<>();
    if (traffic.reachability()) {
      // one fping per network: each network's gateway is its own address (and, for uplink
      // networks, its own switch bridge), so the sweeps run side by side
      Map<String, List<String>> byNetwork = new LinkedHashMap<>();
      synchronized (pods) {
        for (LocalPod p : pods) {
          for (PodInterface i : p.interfaces()) {
            byNetwork.computeIfAbsent(i.network(), k -> new ArrayList<>()).addAll(i.addresses());
          }
        }
      }
      List<Reachability.Sweep> sweeps = new ArrayList<>();
      byNetwork.forEach(
          (net, addrs) -> {
            boolean inFabric =
                networks.stream().anyMatch(n -> n.name().equals(net) && n.gatewayInFabric());
            sweeps.add(new Reachability.Sweep(inFabric ? fabric : node, addrs));
          });
      reach.putAll(reachability.sweep(sweeps, traffic));
    }
    long udpSent = traffic.udp().enabled() ? udpLoad(traffic.udp(), hold) : 0;
    Duration spent = Duration.ofNanos(System.nanoTime() - t0);
    if (spent.compareTo(hold) < 0) {
      sleep(hold.minus(spent));
    }
    return new TrafficResult(reach, udpSent, Duration.ofNanos(System.nanoTime() - t0));
  }

  /**
   * Sinks with small receive buffers in the first pods (on their net1 address), a sender in the
   * fabric: datagrams cross the uplink, the softnet backlog and the sockets, so softnet and
   * socket-buffer counters move. Bounded: rate × hold seconds datagrams.
   */
  private long udpLoad(Traffic.Udp udp, Duration hold) {
    List<LocalPod> sinks;
    synchronized (pods) {
      sinks = pods.stream().limit(udp.pods()).toList();
    }
    List<String> targets = new ArrayList<>();
    List<Process> procs = new ArrayList<>();
    long seconds = Math.max(1, hold.toSeconds());
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("java.class.path");
    try {
      for (LocalPod p : sinks) {
        p.interfaces().stream()
            .filter(i -> i.ifname().equals("net1"))
            .flatMap(i -> i.addresses().stream())
            .filter(a -> a.contains(":"))
            .findFirst()
            .ifPresent(
                a -> {
                  Process sink =
                      agent(
                          p.name(),
                          javaBin,
                          cp,
                          "sink",
                          "9999",
                          Integer.toString(udp.rcvbuf()),
                          Long.toString(seconds + 5));
                  procs.add(sink);
                  targets.add(a);
                });
      }
      if (targets.isEmpty()) {
        return 0;
      }
      List<String> send =
          new ArrayList<>(
              List.of(
                  "send",
                  Integer.toString(udp.rate()),
                  Integer.toString(udp.payload()),
                  Long.toString(seconds),
                  "9999"));
      send.addAll(targets);
      Process sender = agent(names.fabric(), javaBin, cp, send.toArray(String[]::new));
      procs.add(sender);
      String line =
          new BufferedReader(new InputStreamReader(sender.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      sender.waitFor(seconds + 30, java.util.concurrent.TimeUnit.SECONDS);
      return line != null && line.startsWith("sent ")
          ? Long.parseLong(line.substring(5).strip())
          : 0;
    } catch (IOException e) {
      throw new InfrastructureException("UDP load failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } finally {
      procs.forEach(Process::destroyForcibly);
    }
  }

  private static Process agent(String ns, String javaBin, String cp, String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "nsenter",
                "--net=/run/netns/" + ns,
                "--",
                javaBin,
                "-Xmx32m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                cp,
                UdpAgent.class.getName()));
    argv.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      if (args[0].equals("sink")) {
        String line =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
                .readLine();
        if (!"ready".equals(line)) {
          p.destroyForcibly();
          throw new InfrastructureException("the UDP sink in " + ns + " did not start");
        }
      }
      return p;
    } catch (IOException e) {
      throw new InfrastructureException(
          "cannot start the UDP agent in " + ns + ": " + e.getMessage(), e);
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public NodeFacts facts() {
    return facts;
  }

  @Override
  public NodeAccess nodeAccess() {
    return new LocalNodeAccess(host, names.node());
  }

  @Override
  public java.util.Optional<NetnsCleanup> namespaceCleanup() {
    return java.util.Optional.of(new NetnsCleanup(host));
  }

  @Override
  public void abort() {
    aborted = true;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    try {
      if (setUp
          && !pods.isEmpty()
          && spec.teardown() == TargetSpec.Local.Teardown.CNI_DEL
          && !aborted) {
        shrink(0);
      }
    } catch (RuntimeException e) {
      // fall through to the namespace sweep, which removes whatever CNI DEL left
    } finally {
      closed = true;
      pool.shutdownNow();
      new LocalCleanup(host).removeRun(names.runId());
      // best effort: the state folder is on tmpfs and holds only IPAM leases
      LocalCleanup.deleteTree(stateDir);
    }
  }

  /** Attach failures of one scale change, folded into one finding per network and code. */
  private static final class FailureLog {
    private final Map<String, List<String[]>> byKey = new ConcurrentHashMap<>();

    void add(LocalNetwork net, String pod, String ifname, CniException e) {
      String code =
          e.pluginMessage().toLowerCase().contains("exchange full")
              ? "BRIDGE_PORT_LIMIT"
              : "ATTACH_FAILED";
      byKey
          .computeIfAbsent(
              code + " " + net.name() + " " + net.type(),
              k -> Collections.synchronizedList(new ArrayList<>()))
          .add(new String[] {pod, ifname, e.getMessage()});
    }

    List<Finding> findings() {
      List<Finding> out = new ArrayList<>();
      byKey.forEach(
          (key, list) -> {
            String[] k = key.split(" ");
            FindingCode code = FindingCode.valueOf(k[0]);
            List<Evidence> ev = new ArrayList<>();
            for (String[] f : list.subList(0, Math.min(10, list.size()))) {
              ev.add(Evidence.observed("pod " + f[0] + " " + f[1], f[2]));
            }
            String msg =
                code == FindingCode.BRIDGE_PORT_LIMIT
                    ? String.format(
                        "%,d attaches to %s failed: the bridge is full (1,023 ports): %s",
                        list.size(), k[1], list.get(0)[2])
                    : String.format(
                        "%,d attaches to %s (%s) failed: %s",
                        list.size(), k[1], k[2], list.get(0)[2]);
            out.add(new Finding(code, Severity.CRITICAL, "network " + k[1], msg, ev));
          });
      return out;
    }
  }

  /** For tests: the node's shell. */
  NetnsShell nodeShell() {
    return node;
  }

  static boolean isOwned(String name) {
    return LocalNames.OWNED.matcher(name).matches();
  }

  static void requireOwned(String name) {
    if (!isOwned(name)) {
      throw new ShellException("refusing to touch '" + name + "': not created by kdensity");
    }
  }
}
