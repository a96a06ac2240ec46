package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.probes.reach.FpingParser;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.plan.Gateways;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.targets.Futures;
import io.kdensity.scale.targets.Target.PingPath;
import io.kdensity.scale.targets.TrafficResult;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The bounded traffic of a cluster step: pings from inside each pod, through the probe DaemonSet,
 * and where each address was pinged from, for the diagnosis of a lost one.
 */
final class KubeTraffic implements AutoCloseable {
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
   * Each pod pings, from inside its namespace (through the probe DaemonSet), the gateway of each
   * secondary network once; a network whose IPAM config names no gateway (whereabouts without
   * {@code gateway}) is checked by pinging a peer instead: the next pod's address on the same
   * network; with {@code peers: k} also its k peers on each network. An interface whose target does
   * not answer marks its addresses unreachable. Gateways come from the attachments' IPAM config: on
   * a real cluster Multus reports a gateway in network-status only for the default route.
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
      pingPaths = Map.copyOf(paths);
      List<Future<?>> fs = new ArrayList<>();
      for (Pod p : current) {
        NodeShell sh = shells.get(p.getMetadata().getName());
        if (sh != null) {
          fs.add(pingPool.submit(() -> reach.putAll(ping(sh, p, targets.get(p), traffic))));
        }
      }
      fs.forEach(Futures::join);
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

  Optional<PingPath> pingPath(String podAddress) {
    return Optional.ofNullable(pingPaths.get(podAddress));
  }

  private Map<String, List<String>> gatewaysByNetwork() {
    Map<String, List<String>> out = new HashMap<>();
    for (Attachment a : plan.attachments()) {
      out.put(a.name(), Gateways.of(a));
    }
    return out;
  }

  /**
   * Pings each target once from pod {@code p}.
   *
   * @param targets address to ping → the pod's addresses it vouches for
   */
  static Map<String, Boolean> ping(
      NodeShell pod, Pod p, Map<String, List<String>> targets, Traffic t) {
    Map<String, Boolean> out = new HashMap<>();
    if (targets == null || targets.isEmpty()) {
      return out;
    }
    List<String> argv =
        new ArrayList<>(
            List.of(
                "fping",
                "-r",
                Integer.toString(t.pingRetries()),
                "-t",
                Long.toString(Math.max(1, t.pingTimeout().toMillis()))));
    argv.addAll(targets.keySet());
    CommandResult r = pod.run(Command.of(argv));
    Map<String, Boolean> alive =
        FpingParser.parse(r.stdout(), "fping in pod " + p.getMetadata().getName());
    targets.forEach((to, addrs) -> addrs.forEach(a -> out.put(a, alive.getOrDefault(to, false))));
    return out;
  }

  @Override
  public void close() {
    pingPool.shutdownNow();
  }
}
