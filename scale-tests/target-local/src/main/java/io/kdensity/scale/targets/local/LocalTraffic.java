package io.kdensity.scale.targets.local;

import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.PeerRing;
import io.kdensity.scale.targets.Target.PingPath;
import io.kdensity.scale.targets.TrafficResult;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The bounded traffic of a local step: every pod address pinged from its gateway's namespace, with
 * {@code peers} also from its peers' namespaces ({@link Reachability}), and the optional UDP load
 * ({@link UdpLoad}); and where each address was pinged from, for the diagnosis of a lost one.
 */
final class LocalTraffic {
  private final LocalShell host;
  private final LocalTopology topology;
  private final List<LocalNetwork> networks;
  private final String primary;
  private final int parallel;
  private final Clock clock;
  private final Reachability reachability = new Reachability();
  private final UdpLoad udp;

  /**
   * @param primary the network of eth0, which has its gateway as only neighbour
   * @param parallel peer sweeps (fping processes) at a time
   */
  LocalTraffic(
      LocalShell host,
      LocalTopology topology,
      List<LocalNetwork> networks,
      String primary,
      int parallel,
      Clock clock) {
    this.host = host;
    this.topology = topology;
    this.networks = networks;
    this.primary = primary;
    this.parallel = parallel;
    this.clock = clock;
    this.udp = new UdpLoad(host, topology.fabric().name());
  }

  /**
   * A step's new pods, whose addresses' first sweep from their gateways is timed ({@link
   * FirstAnswers}), the watch that listens for the neighbour entries it resolves, and where the
   * stages go. Closing it stops the watch.
   */
  record FirstSweep(Set<String> pods, NeighbourWatch watch, AttachStages stages)
      implements AutoCloseable {
    @Override
    public void close() {
      watch.close();
    }
  }

  /**
   * The step's traffic for about {@code hold}: reachability sweeps, peers, the UDP load.
   *
   * @param first the step's new pods, whose addresses are timed in its gateway sweep; null when
   *     none are new
   */
  TrafficResult run(Traffic traffic, List<LocalPod> pods, Duration hold, FirstSweep first) {
    long t0 = clock.monotonicTime();
    Map<String, Boolean> reach = new LinkedHashMap<>();
    if (traffic.reachability()) {
      List<Reachability.Sweep> gateways = sweeps(pods);
      reach.putAll(
          first == null
              ? reachability.sweep(gateways, traffic)
              : timed(gateways, traffic, pods, first));
      if (traffic.peers() > 0) {
        // an address a peer could not reach is lost too, whatever its gateway saw
        reachability
            .sweep(peerSweeps(pods, traffic.peers()), traffic, parallel)
            .forEach((a, ok) -> reach.merge(a, ok, Boolean::logicalAnd));
      }
    }
    TrafficResult.Udp sent =
        traffic.udp().enabled() ? udp.run(traffic.udp(), pods, hold) : TrafficResult.Udp.NONE;
    Duration spent = Duration.ofNanos(clock.monotonicTime() - t0);
    if (spent.compareTo(hold) < 0) {
      sleep(hold.minus(spent));
    }
    return new TrafficResult(reach, sent, Duration.ofNanos(clock.monotonicTime() - t0));
  }

  /**
   * The gateway sweep with the new addresses' first answers and resolutions recorded. An address's
   * first answer needs one resolution or two: its gateway's entry for it, and, for the reply, the
   * pod's entry for its gateway (the gateway's solicitation usually leaves that one behind, stale
   * but usable; the fabric's entries for pods are static, so there the pod resolves its gateway).
   */
  private Map<String, Boolean> timed(
      List<Reachability.Sweep> sweeps, Traffic traffic, List<LocalPod> pods, FirstSweep first) {
    Map<String, Integer> ids =
        AddressWatch.ids(host.run(AddressWatch.NSIDS).requireSuccess().stdout());
    Map<String, Set<NeighbourWatch.Key>> resolutions = new HashMap<>();
    for (LocalPod p : pods) {
      Integer pod = ids.get(p.name());
      if (!first.pods().contains(p.name()) || pod == null) {
        continue;
      }
      for (PodInterface i : p.interfaces()) {
        Optional<LocalNetwork> net = network(i.network());
        Integer gatewayNs = ids.get(gatewayNamespace(net).name());
        for (String a : i.addresses()) {
          Set<NeighbourWatch.Key> keys = new HashSet<>();
          if (gatewayNs != null) {
            keys.add(new NeighbourWatch.Key(gatewayNs, Addresses.canonical(a)));
          }
          gateway(net, a.contains(":"))
              .ifPresent(g -> keys.add(new NeighbourWatch.Key(pod, Addresses.canonical(g))));
          resolutions.put(Addresses.canonical(a), keys);
        }
      }
    }
    Queue<Reachability.Timed> answers = new ConcurrentLinkedQueue<>();
    first.watch().arm();
    Map<String, Boolean> out = reachability.sweepTimed(sweeps, traffic, clock, answers::add);
    List<Set<NeighbourWatch.Key>> awaited =
        answers.stream()
            .map(a -> resolutions.get(a.address()))
            .filter(k -> k != null && !k.isEmpty())
            .toList();
    FirstAnswers.record(
        answers, resolutions, first.watch().heard(awaited, NeighbourWatch.LAG), first.stages());
    return out;
  }

  /** The plan's network of that name. */
  private Optional<LocalNetwork> network(String name) {
    return networks.stream().filter(n -> n.name().equals(name)).findFirst();
  }

  /** Where the network's gateway lives: the fabric for uplink networks, else the node. */
  private NetnsShell gatewayNamespace(Optional<LocalNetwork> net) {
    return net.map(LocalNetwork::gatewayInFabric).orElse(false)
        ? topology.fabric()
        : topology.node();
  }

  /** The network's gateway of the family, without its prefix length. */
  private static Optional<String> gateway(Optional<LocalNetwork> net, boolean v6) {
    return net.stream()
        .flatMap(n -> n.gateways().stream())
        .map(g -> g.substring(0, g.indexOf('/')))
        .filter(g -> g.contains(":") == v6)
        .findFirst();
  }

  /**
   * One fping sweep per network: each network's gateway is its own address (and, for uplink
   * networks, its own switch bridge), so the sweeps run side by side.
   */
  private List<Reachability.Sweep> sweeps(List<LocalPod> pods) {
    Map<String, List<String>> byNetwork = new LinkedHashMap<>();
    for (LocalPod p : pods) {
      for (PodInterface i : p.interfaces()) {
        byNetwork.computeIfAbsent(i.network(), k -> new ArrayList<>()).addAll(i.addresses());
      }
    }
    List<Reachability.Sweep> sweeps = new ArrayList<>();
    byNetwork.forEach(
        (net, addrs) -> sweeps.add(new Reachability.Sweep(gatewayNamespace(network(net)), addrs)));
    return sweeps;
  }

  /**
   * One sweep per pod, from its own namespace: on each attachment network, the addresses of its
   * {@code k} peers ({@link PeerRing}). The routed eth0 has its gateway as only neighbour.
   */
  private List<Reachability.Sweep> peerSweeps(List<LocalPod> pods, int k) {
    record Member(LocalPod pod, List<String> addresses) {}
    Map<String, List<Member>> byNetwork = new LinkedHashMap<>();
    for (LocalPod p : pods) {
      for (PodInterface i : p.interfaces()) {
        if (!i.network().equals(primary) && !i.addresses().isEmpty()) {
          byNetwork
              .computeIfAbsent(i.network(), n -> new ArrayList<>())
              .add(new Member(p, i.addresses()));
        }
      }
    }
    Map<LocalPod, List<String>> targets = new LinkedHashMap<>();
    byNetwork.forEach(
        (net, members) -> {
          for (int j = 0; j < members.size(); j++) {
            List<String> to = targets.computeIfAbsent(members.get(j).pod(), p -> new ArrayList<>());
            PeerRing.peersOf(members, j, k).forEach(m -> to.addAll(m.addresses()));
          }
        });
    List<Reachability.Sweep> sweeps = new ArrayList<>();
    targets.forEach(
        (p, to) ->
            sweeps.add(
                new Reachability.Sweep(
                    new NetnsShell(p.name(), host).withAnchor(p.anchor().pid()), to)));
    return sweeps;
  }

  /**
   * The gateway's namespace pinged the pod; the pod answers to its gateway (the same family's of
   * its network).
   */
  Optional<PingPath> pingPath(String podAddress, List<LocalPod> pods) {
    for (LocalPod p : pods) {
      for (PodInterface i : p.interfaces()) {
        if (!i.addresses().contains(podAddress)) {
          continue;
        }
        Optional<LocalNetwork> net = network(i.network());
        String gateway = gateway(net, podAddress.contains(":")).orElse(null);
        NodeShell pod = new NetnsShell(p.name(), host).withAnchor(p.anchor().pid());
        return Optional.of(
            new PingPath(gatewayNamespace(net), podAddress, gateway == null ? null : pod, gateway));
      }
    }
    return Optional.empty();
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
