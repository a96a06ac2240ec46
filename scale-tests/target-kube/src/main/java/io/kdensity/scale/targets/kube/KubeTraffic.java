package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.probes.reach.Fping;
import io.kdensity.probes.reach.FpingParser;
import io.kdensity.probes.shell.BatchRun;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.ShellException;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.plan.Gateways;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.targets.Target.PingPath;
import io.kdensity.scale.targets.TrafficResult;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The bounded traffic of a cluster step: pings from inside each pod, through the probe DaemonSet,
 * and where each address was pinged from, for the diagnosis of a lost one.
 */
final class KubeTraffic implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Plan plan;
  private final KubeNode node;
  private final Clock clock;
  private final ExecutorService pingPool;
  private volatile Map<String, PingPath> pingPaths = Map.of();

  KubeTraffic(Plan plan, KubeNode node, Clock clock) {
    this.plan = plan;
    this.node = node;
    this.clock = clock;
    this.pingPool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(plan.target().kube().concurrency(), 64)),
            DaemonThreads.named("kd-kube-ping"));
  }

  /**
   * The node pings every pod's eth0 (cluster network) address, from its own namespace through the
   * probe pod, as the kubelet's probes and the node's services reach pods: the node resolves each
   * pod on its side of the pod's routed interface. And each pod pings, from inside its namespace
   * (through the probe DaemonSet), the gateway of each secondary network once; a network whose IPAM
   * config names no gateway (whereabouts without {@code gateway}) is checked by pinging a peer
   * instead: the next pod's address on the same network; with {@code peers: k} also its k peers on
   * each network. An interface whose target does not answer marks its addresses unreachable.
   * Gateways come from the attachments' IPAM config: on a real cluster Multus reports a gateway in
   * network-status only for the default route.
   */
  TrafficResult run(Traffic traffic, List<Pod> current, Duration hold) {
    long t0 = clock.monotonicTime();
    Map<String, Boolean> reach = new ConcurrentHashMap<>();
    if (traffic.reachability()) {
      Map<String, NodeShell> shells = node.pods(current).shells();
      Map<Pod, Map<String, List<String>>> targets =
          PingTargets.of(current, gatewaysByNetwork(), traffic.peers());
      Map<String, PingPath> paths = new HashMap<>();
      targets.forEach(
          (pod, byPeer) -> {
            NodeShell sh = shells.get(pod.getMetadata().getName());
            if (sh != null) {
              byPeer.forEach(
                  (peer, addrs) -> addrs.forEach(a -> paths.put(a, new PingPath(sh, peer))));
            }
          });
      // one fping per pod, from inside it; through the probe pod, 200 pods per exec
      Map<Pod, BatchRun.Run> runs = new LinkedHashMap<>();
      for (Pod p : current) {
        NodeShell sh = shells.get(p.getMetadata().getName());
        Map<String, List<String>> to = targets.get(p);
        if (sh != null && to != null && !to.isEmpty()) {
          runs.put(p, new BatchRun.Run(sh, fping(to, traffic)));
        }
      }
      BatchRun.runAll(runs, pingPool)
          .forEach((p, r) -> reach.putAll(reachability(p, targets.get(p), r)));
      reach.putAll(fromNode(current, traffic, paths));
      pingPaths = Map.copyOf(paths);
    }
    long spent = (clock.monotonicTime() - t0) / 1_000_000;
    if (spent < hold.toMillis()) {
      try {
        Thread.sleep(hold.toMillis() - spent);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new TrafficResult(
        reach, TrafficResult.Udp.NONE, Duration.ofNanos(clock.monotonicTime() - t0));
  }

  /** The node's sweep of the pods' eth0 addresses, one fping per family through the probe pod. */
  private Map<String, Boolean> fromNode(
      List<Pod> current, Traffic traffic, Map<String, PingPath> paths) {
    List<String> eth0 = new ArrayList<>();
    for (Pod p : current) {
      for (NetworkStatus.Entry e : NetworkStatus.of(p).entries()) {
        if (e.isDefault()) {
          eth0.addAll(e.ips());
        }
      }
    }
    NodeShell from = node.nodeNamespace();
    Map<String, Boolean> out = new HashMap<>();
    for (boolean v6 : List.of(true, false)) {
      List<String> targets = eth0.stream().filter(a -> a.contains(":") == v6).toList();
      if (targets.isEmpty()) {
        continue;
      }
      Command c =
          Fping.sweep(
              targets, traffic.pingRetries(), traffic.pingTimeout(), traffic.pingInterval());
      CommandResult r = from.run(c);
      if (r.exitCode() > 1) {
        throw new ShellException("fping failed in " + from.describe() + ": " + r.firstErrorLine());
      }
      out.putAll(FpingParser.parse(r.stdout(), c.display() + " in " + from.describe()));
      targets.forEach(a -> paths.put(a, new PingPath(from, a)));
    }
    return out;
  }

  Optional<PingPath> pingPath(String podAddress) {
    return Optional.ofNullable(pingPaths.get(podAddress));
  }

  /**
   * The gateways pods ping, per network: those of its IPAM config, except on a bridge network whose
   * bridge is no gateway (the bridge plugin puts the gateway address on the bridge only with {@code
   * isGateway: true}; without it nobody answers there), whose pods ping a peer instead.
   */
  private Map<String, List<String>> gatewaysByNetwork() {
    Map<String, List<String>> out = new HashMap<>();
    for (Attachment a : plan.attachments()) {
      out.put(a.name(), answersGateway(a) ? Gateways.of(a) : List.of());
    }
    return out;
  }

  static boolean answersGateway(Attachment a) {
    try {
      JsonNode c = JSON.readTree(a.config());
      return !"bridge".equals(c.path("type").asString("")) || c.path("isGateway").asBoolean(false);
    } catch (JacksonException e) {
      return true; // plans are validated: not reached
    }
  }

  /** fping of each target once, with the plan's retries and timeout. */
  static Command fping(Map<String, List<String>> targets, Traffic t) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "fping",
                "-r",
                Integer.toString(t.pingRetries()),
                "-t",
                Long.toString(Math.max(1, t.pingTimeout().toMillis()))));
    argv.addAll(targets.keySet());
    return Command.of(argv);
  }

  /**
   * What fping in pod {@code p} said, for the pod's addresses.
   *
   * @param targets address pinged → the pod's addresses it vouches for
   */
  static Map<String, Boolean> reachability(
      Pod p, Map<String, List<String>> targets, CommandResult r) {
    // fping exits 1 when a target did not answer; anything else is the ping failing, not a loss
    if (r.exitCode() != 0 && r.exitCode() != 1) {
      throw new ShellException(
          "fping in pod "
              + p.getMetadata().getName()
              + " failed (exit "
              + r.exitCode()
              + "): "
              + r.firstErrorLine());
    }
    Map<String, Boolean> alive =
        FpingParser.parse(r.stdout(), "fping in pod " + p.getMetadata().getName());
    Map<String, Boolean> out = new HashMap<>();
    targets.forEach((to, addrs) -> addrs.forEach(a -> out.put(a, alive.getOrDefault(to, false))));
    return out;
  }

  @Override
  public void close() {
    pingPool.shutdownNow();
  }
}
