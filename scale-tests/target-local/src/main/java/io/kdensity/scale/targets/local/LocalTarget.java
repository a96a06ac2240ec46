package io.kdensity.scale.targets.local;

import io.kdensity.config.run.AttachMode;
import io.kdensity.probes.cpu.TracefsSoftirqClock;
import io.kdensity.probes.drop.TracefsDropCounter;
import io.kdensity.probes.kernel.NetnsCleanup;
import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.probe.Capacities;
import io.kdensity.probes.probe.DropCounter;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.SoftirqClock;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.ShellException;
import io.kdensity.scale.metrics.NodeObject;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.targets.AttachFailures;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.FlapResult;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.NodeRoutes;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.TrafficResult;
import io.kdensity.tuning.apply.LocalNodeAccess;
import io.kdensity.tuning.apply.NodeAccess;
import io.micrometer.core.instrument.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * A worker node emulated in network namespaces of this machine, wired by the real CNI plugins. This
 * class ties the parts together: the {@link LocalTopology} (node, uplinks, switch), the {@link
 * PodLifecycle} (pods and their CNI attachments), the step's traffic ({@link LocalTraffic}) and
 * what the probes see ({@link #scope()}).
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
  private final NodeFacts facts;
  private final Clock clock;
  private final Path stateDir;
  private final List<LocalNetwork> networks = new ArrayList<>();
  private final LocalTopology topology;
  private final CniInvoker cni;
  private final PodLifecycle pods;
  private final LocalTraffic traffic;
  private volatile SoftirqClock softirq = SoftirqClock.NONE;
  private volatile DropCounter drops = DropCounter.NONE;
  private volatile boolean closed;

  /** Times the IPAM plugins inside the ADDs. */
  private final IpamTimer ipamTimer;

  /** The latest change's watch on its pods' addresses, until the engine's settle is over. */
  private AddressWatch addressWatch;

  /** The last scale change's new addresses, until the traffic that follows times their sweep. */
  private LocalTraffic.FirstSweep firstSweep;

  private volatile boolean aborted;
  private boolean setUp;
  private volatile AdvertisingRouters routers;

  public LocalTarget(Plan plan, LocalNames names, LocalShell host, NodeFacts facts, Clock clock) {
    this.plan = plan;
    this.spec = plan.target().local();
    this.names = names;
    this.host = host;
    this.facts = facts;
    this.clock = clock;
    this.stateDir = spec.stateDir().resolve(names.runId());
    this.topology = new LocalTopology(names, spec, host);
    this.ipamTimer = new IpamTimer(stateDir);
    // the run's IPAM wrappers first: a plugin finds its IPAM plugin on CNI_PATH
    List<Path> pluginDirs = new ArrayList<>(List.of(ipamTimer.binDir()));
    pluginDirs.addAll(spec.cniDirs());
    this.cni = new CniInvoker(topology.node(), pluginDirs);
    int bridges = 0;
    networks.add(LocalNetwork.of(plan.primary(), names, stateDir.resolve("ipam"), bridges));
    for (var a : plan.attachments()) {
      LocalNetwork net = LocalNetwork.of(a, names, stateDir.resolve("ipam"), bridges);
      if (net.type().equals("bridge")) {
        bridges++;
      }
      networks.add(net);
    }
    this.pods = new PodLifecycle(plan, names, host, topology.node(), cni, networks, clock);
    this.traffic =
        new LocalTraffic(
            host, topology, networks, plan.primary().name(), spec.attachConcurrency(), clock);
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
  public List<String> preflight() {
    new LocalPreflight(host, names, cni, spec).check(networks);
    return List.of();
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
    if (spec.attach() == AttachMode.CNI) {
      ipamTimer.install(networks, new CniInvoker(topology.node(), spec.cniDirs())::find);
    }
    topology.create(networks);
    routers = topology.startRouters(networks, stateDir);
    pods.prepare();
    softirq = traceSoftirqs();
    drops = countDrops();
  }

  /** Counts the kernel's drops by reason; a kernel without tracefs or reasons just has none. */
  private DropCounter countDrops() {
    try {
      return TracefsDropCounter.open(host, names.runId());
    } catch (RuntimeException e) {
      return DropCounter.unavailable("drop reasons are not counted (" + e.getMessage() + ")");
    }
  }

  /** Traces the packet softirqs for cycles per packet; a kernel without tracefs just has none. */
  private SoftirqClock traceSoftirqs() {
    try {
      return TracefsSoftirqClock.open(host, names.runId());
    } catch (RuntimeException e) {
      return SoftirqClock.unavailable("NET_RX/NET_TX time is not traced (" + e.getMessage() + ")");
    }
  }

  @Override
  public void setPodSysctls(Map<String, String> sysctls) {
    pods.setPodSysctls(sysctls);
  }

  @Override
  public int pods() {
    return pods.count();
  }

  /** The plugins, or the {@code ip} batches of the netlink mode, run as this JVM's children. */
  @Override
  public boolean attachesInChildProcesses() {
    return true;
  }

  @Override
  public ScaleResult scaleTo(int target) {
    return scale(
        (attach, ready, stages, failures) -> {
          if (target > pods.count()) {
            List<LocalPod> created = pods.grow(target, attach, ready, stages, failures);
            return new Change(created, () -> topology.pinRouterEntries(created, networks));
          }
          if (target < pods.count()) {
            List<LocalPod> removed = pods.shrink(target);
            return new Change(List.of(), () -> topology.unpinRouterEntries(removed, networks));
          }
          return new Change(List.of(), () -> {});
        });
  }

  /**
   * CNI DEL of {@code count} pods chosen by {@code seed}, their namespaces deleted, then new
   * sandboxes for them with CNI ADD.
   */
  @Override
  public ScaleResult churn(int count, long seed) {
    List<Integer> indexes = new ArrayList<>(pods.pods().stream().map(LocalPod::index).toList());
    Collections.shuffle(indexes, new Random(seed));
    Set<Integer> chosen =
        Set.copyOf(indexes.subList(0, Math.max(0, Math.min(count, indexes.size()))));
    return scale(
        (attach, ready, stages, failures) -> {
          List<LocalPod> removed = new ArrayList<>();
          List<LocalPod> created = pods.replace(chosen, removed, attach, ready, stages, failures);
          return new Change(
              created,
              () -> {
                topology.unpinRouterEntries(removed, networks);
                topology.pinRouterEntries(created, networks);
              });
        });
  }

  /**
   * What changing the pods did.
   *
   * @param created the pods it made
   * @param bookkeeping the topology's bookkeeping for the pods it changed, which is orchestration,
   *     not pod work, and runs outside the pod work's time
   */
  private record Change(List<LocalPod> created, Runnable bookkeeping) {}

  /** Changing the pods, with what it costs recorded. */
  private interface PodWork {
    Change run(
        ConcurrentHistogram attach,
        ConcurrentHistogram ready,
        AttachStages stages,
        AttachFailures.Log failures);
  }

  private ScaleResult scale(PodWork work) {
    if (closed) {
      throw new InfrastructureException("the target is closed");
    }
    long t0 = clock.monotonicTime();
    ConcurrentHistogram attach = ScaleResult.newHistogram();
    ConcurrentHistogram ready = ScaleResult.newHistogram();
    AttachStages stages = AttachStages.recorder();
    AttachFailures.Log failures = new AttachFailures.Log();
    closeAddressWatch();
    replaceFirstSweep(null);
    AddressWatch watch = AddressWatch.start(host, clock);
    addressWatch = watch;
    // listening well before the step's first sweep, which it times
    NeighbourWatch neighbours = NeighbourWatch.start(host, clock);
    long w = clock.monotonicTime();
    Change change;
    try {
      change = work.run(attach, ready, stages, failures);
    } catch (RuntimeException e) {
      closeAddressWatch();
      neighbours.close();
      throw e;
    } finally {
      // every ADD has returned, so its IPAM run's line is written
      ipamTimer.drain(stages);
    }
    long podWork = clock.monotonicTime() - w;
    change.bookkeeping().run();
    if (change.created().isEmpty()) {
      closeAddressWatch();
      neighbours.close();
    } else {
      replaceFirstSweep(
          new LocalTraffic.FirstSweep(
              change.created().stream().map(LocalPod::name).collect(Collectors.toUnmodifiableSet()),
              neighbours,
              stages));
      // the pods' DAD ends after this returns: recorded once the engine's settle is over
      stages.whenSettled(
          () -> {
            try {
              watch.await(change.created(), AddressWatch.LAG, stages);
            } finally {
              closeAddressWatch();
            }
          });
    }
    List<LocalPod> now = pods.pods();
    int ifs = now.stream().mapToInt(p -> p.interfaces().size()).sum();
    long elapsed = clock.monotonicTime() - t0;
    return new ScaleResult(
        now.size(),
        ifs,
        attach,
        ready,
        stages,
        failures.findings(),
        Duration.ofNanos(elapsed),
        Duration.ofNanos(elapsed - podWork));
  }

  /**
   * Sets the node-side veth peers of {@code count} pod interfaces down, waits, and sets them up:
   * the pods see their carrier go and come back and keep their addresses (which run DAD again).
   */
  @Override
  public FlapResult flap(int count, Duration down, long seed) {
    if (count <= 0) {
      return FlapResult.none(0, "");
    }
    List<Peer> candidates = new ArrayList<>();
    for (LocalPod p : pods.pods()) {
      for (PodInterface i : p.interfaces()) {
        String peer = p.peers().get(i.ifname());
        // a bridge port carries nothing of the node's own; a ptp peer carries the node's route to
        // the pod, which the kernel deletes when the peer goes down
        if (peer != null && BRIDGE.equals(i.kind())) {
          candidates.add(new Peer(p.name(), peer));
        }
      }
    }
    if (candidates.isEmpty()) {
      return FlapResult.none(count, FlapResult.ONLY_BRIDGE_PORTS);
    }
    Collections.shuffle(candidates, new Random(seed));
    List<Peer> chosen = candidates.subList(0, Math.min(count, candidates.size()));
    StringBuilder downs = new StringBuilder();
    StringBuilder ups = new StringBuilder();
    for (Peer c : chosen) {
      downs.append("link set dev ").append(c.link()).append(" down\n");
      ups.append("link set dev ").append(c.link()).append(" up\n");
    }
    NetnsShell node = topology.node();
    try {
      LocalTopology.batch(node, downs.toString(), "take pod links' carrier away");
      Thread.sleep(down.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      LocalTopology.batch(node, ups.toString(), "give pod links their carrier back");
    }
    List<String> notes = new ArrayList<>();
    if (chosen.size() < count) {
      notes.add(FlapResult.fewerCandidates(candidates.size()));
    }
    return new FlapResult(
        count, chosen.size(), chosen.stream().map(Peer::pod).collect(Collectors.toSet()), notes);
  }

  private static final String BRIDGE = "bridge";

  /** A pod interface's veth peer on the node side (a link name as the plugin reported it). */
  private record Peer(String pod, String link) {
    Peer {
      if (!link.matches("[A-Za-z0-9_.@-]{1,15}")) {
        throw new InfrastructureException("the plugin reported a host link named '" + link + "'");
      }
    }
  }

  @Override
  public Map<NodeObject, Long> objectCounts() {
    Map<NodeObject, Long> m = new EnumMap<>(NodeObject.class);
    try (Stream<Path> s = Files.list(Path.of("/run/netns"))) {
      m.put(
          NodeObject.NAMESPACES,
          s.filter(p -> p.getFileName().toString().startsWith(names.prefix())).count());
    } catch (IOException e) {
      // no /run/netns: nothing to count
    }
    var r = topology.node().run(Command.of("ip", "-j", "link"));
    if (r.ok()) {
      m.put(
          NodeObject.NODE_LINKS,
          (long) IpLinkParser.parse(r.stdout(), "ip -j link in the node").size());
    }
    var routes = topology.node().run(Command.of("ip", "-j", "route", "show", "table", "all"));
    if (routes.ok()) {
      m.put(NodeObject.NODE_ROUTES, NodeRoutes.count(routes.stdout(), "ip -j route in the node"));
    }
    Path ipam = stateDir.resolve("ipam");
    if (Files.isDirectory(ipam)) {
      try (Stream<Path> s = Files.walk(ipam, 2)) {
        m.put(
            NodeObject.IPAM_LEASES,
            s.filter(Files::isRegularFile)
                .map(p -> p.getFileName().toString())
                .filter(n -> !n.startsWith("last_reserved_ip") && !n.equals("lock"))
                .count());
      } catch (IOException | UncheckedIOException e) {
        // counted next time
      }
    }
    return m;
  }

  @Override
  public boolean skipCniDel(double share) {
    pods.skipCniDel(share);
    return plan.target().local().attach() == AttachMode.CNI;
  }

  @Override
  public ProbeScope scope() {
    List<PodView> views = new ArrayList<>();
    for (LocalPod p : pods.pods()) {
      views.add(
          new PodView(
              p.name(),
              new NetnsShell(p.name(), host).withAnchor(p.anchor().pid()),
              p.interfaces()));
    }
    NetnsShell node = topology.node();
    NetnsShell fabric = topology.fabric();
    List<NodeShell> sockets = new ArrayList<>(List.of(node, fabric));
    List<NodeShell> outside = new ArrayList<>(List.of(fabric));
    topology.secondRouter().ifPresent(outside::add);
    if (plan.traffic().udp().enabled()) {
      views.stream().limit(plan.traffic().udp().pods()).forEach(v -> sockets.add(v.shell()));
    }
    return ProbeScope.builder(host, node)
        .l2Domains(List.of(fabric))
        .pods(views)
        .socketNamespaces(sockets)
        .datapathNamespaces(List.of(node, fabric))
        .outsideNode(outside)
        .softirq(softirq)
        .drops(drops)
        .capacities(
            new Capacities(
                spec.switchMacTable(),
                spec.nicUnicastFilter(),
                Capacities.LINUX_BRIDGE_PORTS,
                // the uplinks are veths: their filter is the plan's declaration
                Capacities.UnicastFilter.DECLARED))
        .facts(facts)
        .build();
  }

  @Override
  public TrafficResult traffic(Traffic traffic, Duration hold) {
    LocalTraffic.FirstSweep first;
    synchronized (this) {
      first = firstSweep;
      firstSweep = null;
    }
    try {
      return this.traffic.run(traffic, pods.pods(), hold, first);
    } finally {
      if (first != null) {
        first.close();
      }
    }
  }

  /** Keeps {@code next} for the next traffic, closing the one it replaces. */
  private synchronized void replaceFirstSweep(LocalTraffic.FirstSweep next) {
    if (firstSweep != null) {
      firstSweep.close();
    }
    firstSweep = next;
  }

  /**
   * The gateway's namespace pinged the pod; the pod answers to its gateway (the same family's of
   * its network).
   */
  @Override
  public Optional<PingPath> pingPath(String podAddress) {
    return traffic.pingPath(podAddress, pods.pods());
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
  public Optional<NetnsCleanup> namespaceCleanup() {
    return Optional.of(new NetnsCleanup(host));
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
          && pods.count() > 0
          && spec.teardown() == TargetSpec.Local.Teardown.CNI_DEL
          && !aborted) {
        pods.shrink(0);
      }
    } catch (RuntimeException e) {
      // fall through to the namespace sweep, which removes whatever CNI DEL left
    } finally {
      closed = true;
      closeAddressWatch();
      replaceFirstSweep(null);
      if (softirq instanceof TracefsSoftirqClock t) {
        t.close();
      }
      if (drops instanceof TracefsDropCounter d) {
        d.close();
      }
      pods.stop();
      if (routers != null) {
        routers.close();
      }
      LocalShell.closeAll(pods.pods().stream().map(LocalPod::anchor).toList());
      new LocalCleanup(host).removeRun(names.runId());
      // best effort: the state folder is on tmpfs and holds only IPAM leases
      LocalCleanup.deleteTree(stateDir);
    }
  }

  private synchronized void closeAddressWatch() {
    if (addressWatch != null) {
      addressWatch.close();
      addressWatch = null;
    }
  }

  /** For tests: the node's shell. */
  NetnsShell nodeShell() {
    return topology.node();
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
