package io.kdensity.scale.targets.local;

import io.kdensity.config.run.AttachMode;
import io.kdensity.config.run.CniPlugin;
import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.link.LinkInfo;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.RunningProcess;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.targets.AttachFailures;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.Futures;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.awaitility.Awaitility;

/**
 * Creates and removes the local target's pods as a kubelet with Multus would: a namespace and an
 * anchor process per pod, then CNI ADD of {@code eth0} and {@code net1..netK} in order, several
 * pods in parallel; CNI DEL last interface first, then the namespace, waiting until the kernel has
 * freed the host-side links. In {@code attach: netlink} mode the {@link NetlinkWiring} makes the
 * same objects in batches instead, and removing a pod is removing its namespace.
 */
final class PodLifecycle {
  private final Plan plan;
  private final LocalNames names;
  private final LocalShell host;
  private final NetnsShell node;
  private final CniInvoker cni;
  private final List<LocalNetwork> networks;
  private final Clock clock;
  private final ExecutorService pool;
  private final NetlinkWiring netlink;
  private final List<LocalPod> pods = Collections.synchronizedList(new ArrayList<>());
  private volatile Map<String, String> podSysctls = Map.of();

  /** Test-only fault: the share of removed pods whose CNI DEL is skipped (0 = none). */
  private volatile double skipDelShare;

  private final AtomicLong removed = new AtomicLong();

  /** Sandboxes created so far: each incarnation of a pod gets its own id. */
  private final AtomicLong sandboxes = new AtomicLong();

  PodLifecycle(
      Plan plan,
      LocalNames names,
      LocalShell host,
      NetnsShell node,
      CniInvoker cni,
      List<LocalNetwork> networks,
      Clock clock) {
    this.plan = plan;
    this.names = names;
    this.host = host;
    this.node = node;
    this.cni = cni;
    this.networks = List.copyOf(networks);
    this.clock = clock;
    this.pool =
        Executors.newFixedThreadPool(
            plan.target().local().attachConcurrency(), DaemonThreads.named("kd-attach"));
    this.netlink =
        plan.target().local().attach() == AttachMode.NETLINK
            ? new NetlinkWiring(plan, host, node, networks, clock, pool)
            : null;
  }

  /** Creates what the netlink mode needs before the first pod (the bridge networks' bridges). */
  void prepare() {
    if (netlink != null) {
      netlink.prepare();
    }
  }

  void setPodSysctls(Map<String, String> sysctls) {
    this.podSysctls = Map.copyOf(sysctls);
  }

  /** The pods, in creation order. */
  List<LocalPod> pods() {
    synchronized (pods) {
      return List.copyOf(pods);
    }
  }

  int count() {
    return pods.size();
  }

  /**
   * Adds pods up to {@code target}; latencies and failures go to the given recorders.
   *
   * @return the pods created
   */
  List<LocalPod> grow(
      int target,
      ConcurrentHistogram attach,
      ConcurrentHistogram ready,
      AttachStages stages,
      AttachFailures.Log failures) {
    List<Integer> indexes = new ArrayList<>();
    for (int i = pods.size() + 1; i <= target; i++) {
      indexes.add(i);
    }
    List<LocalPod> created = createAll(indexes, attach, ready, stages, failures);
    pods.addAll(created);
    return created;
  }

  /**
   * Removes the pods with these indexes (CNI DEL, namespace deleted, waited for) and creates them
   * again in new sandboxes; the pods stay in index order.
   *
   * @param removed where the removed pods go (for the topology to forget their addresses)
   * @return the pods created
   */
  List<LocalPod> replace(
      Set<Integer> indexes,
      List<LocalPod> removed,
      ConcurrentHistogram attach,
      ConcurrentHistogram ready,
      AttachStages stages,
      AttachFailures.Log failures) {
    List<LocalPod> gone;
    synchronized (pods) {
      gone = pods.stream().filter(p -> indexes.contains(p.index())).toList();
      pods.removeAll(gone);
    }
    remove(gone);
    removed.addAll(gone);
    List<LocalPod> created =
        createAll(gone.stream().map(LocalPod::index).toList(), attach, ready, stages, failures);
    synchronized (pods) {
      pods.addAll(created);
      pods.sort(Comparator.comparingInt(LocalPod::index));
    }
    return created;
  }

  /** Creates the pods of these indexes: their namespaces, then each pod's interfaces. */
  private List<LocalPod> createAll(
      List<Integer> indexes,
      ConcurrentHistogram attach,
      ConcurrentHistogram ready,
      AttachStages stages,
      AttachFailures.Log failures) {
    if (indexes.isEmpty()) {
      return List.of();
    }
    StringBuilder add = new StringBuilder();
    for (int index : indexes) {
      add.append("netns add ").append(names.pod(index)).append('\n');
      // an id in the root namespace: its address notifications reach the AddressWatch
      add.append("netns set ").append(names.pod(index)).append(" auto\n");
    }
    LocalTopology.batch(host, add.toString(), "create pod namespaces");
    if (netlink != null) {
      return wire(indexes, attach, ready, stages, failures);
    }
    List<Future<LocalPod>> futures = new ArrayList<>();
    for (int index : indexes) {
      futures.add(pool.submit(() -> create(index, attach, ready, stages, failures)));
    }
    List<LocalPod> created = new ArrayList<>();
    for (Future<LocalPod> f : futures) {
      created.add(Futures.join(f));
    }
    return created;
  }

  /** Netlink mode: anchors first (they set the pod sysctls), then every interface in batches. */
  private List<LocalPod> wire(
      List<Integer> indexes,
      ConcurrentHistogram attach,
      ConcurrentHistogram ready,
      AttachStages stages,
      AttachFailures.Log failures) {
    List<Future<NetlinkWiring.Slot>> started = new ArrayList<>();
    for (int index : indexes) {
      started.add(
          pool.submit(
              () -> {
                long t = clock.monotonicTime();
                String ns = names.pod(index);
                RunningProcess anchor = PodAnchor.start(new NetnsShell(ns, host), podSysctls);
                stages.sandbox(clock.monotonicTime() - t);
                return new NetlinkWiring.Slot(index, ns, anchor, t);
              }));
    }
    List<NetlinkWiring.Slot> slots = new ArrayList<>();
    for (Future<NetlinkWiring.Slot> f : started) {
      slots.add(Futures.join(f));
    }
    Map<Integer, NetlinkWiring.Wired> wired = netlink.wire(slots, attach, ready, failures);
    List<LocalPod> created = new ArrayList<>();
    for (NetlinkWiring.Slot s : slots) {
      NetlinkWiring.Wired w = wired.get(s.index());
      created.add(
          new LocalPod(
              s.index(),
              s.namespace(),
              s.namespace(),
              s.anchor(),
              w.interfaces(),
              w.peers(),
              w.macs()));
    }
    return created;
  }

  private LocalPod create(
      int index,
      ConcurrentHistogram attach,
      ConcurrentHistogram ready,
      AttachStages stages,
      AttachFailures.Log log) {
    String ns = names.pod(index);
    String sandbox = ns + "-" + sandboxes.incrementAndGet();
    long start = clock.monotonicTime();
    RunningProcess anchor = PodAnchor.start(new NetnsShell(ns, host), podSysctls);
    stages.sandbox(clock.monotonicTime() - start);
    List<PodInterface> ifaces = new ArrayList<>();
    Map<String, String> peers = new HashMap<>();
    Map<String, String> macs = new HashMap<>();
    String netnsPath = "/run/netns/" + ns;
    for (int i = 0; i <= plan.interfacesPerPod(); i++) {
      LocalNetwork net = networkOf(i);
      String ifname = ifname(i);
      long a0 = clock.monotonicTime();
      try {
        CniResult r = cni.add(sandbox, netnsPath, ifname, config(net, index, i));
        long done = clock.monotonicTime();
        attach.recordValue(Math.max(1, (done - a0) / 1000));
        stages.add(CniPlugin.of(net.type()), done - a0);
        List<String> addrs = r.addresses().stream().map(Addresses::canonical).toList();
        ifaces.add(new PodInterface(ifname, net.name(), net.type(), net.master(), addrs, done));
        macs.put(ifname, r.sandboxMac());
        // the bridge of a bridge network stays; the per-pod host veths go with the pod
        r.hostInterfaces().stream()
            .filter(n -> !n.equals(net.master()))
            .findFirst()
            .ifPresent(n -> peers.put(ifname, n));
      } catch (CniException e) {
        log.add(net.name(), net.type(), ns, ifname, e.getMessage());
      }
    }
    ready.recordValue(Math.max(1, (clock.monotonicTime() - start) / 1000));
    return new LocalPod(index, ns, sandbox, anchor, ifaces, peers, macs);
  }

  /** Interface {@code i} of a pod: 0 is eth0 on the primary, then net1..netK on the attachments. */
  private LocalNetwork networkOf(int i) {
    return networks.get(networkIndex(i, networks.size()));
  }

  /**
   * The network of interface {@code i} among {@code networks} (the primary first, then the
   * attachments, which net1..netK cycle through).
   */
  static int networkIndex(int i, int networks) {
    return i == 0 ? 0 : 1 + (i - 1) % (networks - 1);
  }

  /** eth0, then net1..netK. */
  static String ifname(int i) {
    return i == 0 ? "eth0" : "net" + i;
  }

  /** The config of interface {@code i} of pod {@code pod}, with its fixed addresses if any. */
  private CniConfig config(LocalNetwork net, int pod, int i) {
    return i == 0
        ? net.config().withStaticAddresses(plan.primaryAddresses(pod), plan.primary().gateways())
        : net.config().withRuntimeIps(plan.podAddresses(pod, i));
  }

  /**
   * Removes pods down to {@code target}, last created first.
   *
   * @return the pods removed
   */
  List<LocalPod> shrink(int target) {
    List<LocalPod> gone;
    synchronized (pods) {
      gone = new ArrayList<>(pods.subList(target, pods.size()));
      pods.subList(target, pods.size()).clear();
    }
    remove(gone);
    return gone;
  }

  /**
   * CNI DEL of every interface (last first, like kubelet), then the namespace; waits until gone.
   */
  private void remove(List<LocalPod> gone) {
    if (netlink != null) {
      // nothing was allocated outside the namespaces: deleting them removes every link and route
      LocalShell.closeAll(gone.stream().map(LocalPod::anchor).toList());
    } else {
      List<Future<?>> futures = new ArrayList<>();
      for (LocalPod p : gone) {
        futures.add(pool.submit(() -> delete(p)));
      }
      futures.forEach(Futures::join);
    }
    if (gone.isEmpty()) {
      return;
    }
    StringBuilder del = new StringBuilder();
    for (LocalPod p : gone) {
      del.append("netns del ").append(p.name()).append('\n');
    }
    LocalTopology.batch(host, del.toString(), "delete pod namespaces");
    Set<String> links = new HashSet<>();
    gone.forEach(p -> links.addAll(p.hostLinks()));
    waitUntilGone(links);
  }

  /**
   * Test-only fault that proves leak detection: from now on, skip the CNI DEL of every removed pod
   * whose running number crosses a multiple of {@code 1/share} (so exactly that share of them), as
   * a runtime that lost track of a sandbox would. The namespace still goes; what the plugins
   * allocated outside it (host-local IPAM leases) stays.
   */
  void skipCniDel(double share) {
    this.skipDelShare = share;
  }

  private boolean skipDel() {
    long n = removed.incrementAndGet();
    double share = skipDelShare;
    return share > 0 && Math.floor(n * share) > Math.floor((n - 1) * share);
  }

  private void delete(LocalPod p) {
    if (skipDel()) {
      p.anchor().close();
      return;
    }
    String netnsPath = "/run/netns/" + p.name();
    List<PodInterface> ifs = new ArrayList<>(p.interfaces());
    Collections.reverse(ifs);
    for (PodInterface i : ifs) {
      int n = i.ifname().equals("eth0") ? 0 : Integer.parseInt(i.ifname().substring(3));
      try {
        cni.del(p.sandbox(), netnsPath, i.ifname(), config(networkOf(n), p.index(), n));
      } catch (CniException e) {
        // DEL must be idempotent; a plugin that fails here leaves nothing we can fix per pod
      }
    }
    p.anchor().close();
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

  /** Stops attaching; running attaches are interrupted. */
  void stop() {
    pool.shutdownNow();
  }
}
