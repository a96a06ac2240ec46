package io.kdensity.scale.cli;

import io.kdensity.scale.sim.SimCluster;
import io.kdensity.scale.sim.SimOptions;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kdensity sim-cluster}: a Kubernetes cluster in a box on this machine, whose one worker
 * node is the embedded node, until Ctrl-C or SIGTERM.
 */
@Command(
    name = "sim-cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Run a simulated Kubernetes cluster whose one worker node is this machine's embedded node:"
          + " an API server on 127.0.0.1 (exec over the v4.channel.k8s.io WebSocket, admission,"
          + " graceful deletion), a scheduler, a kubelet that makes every pod a real network"
          + " namespace with a /pause process, and Multus running each NetworkAttachmentDefinition"
          + " through the real CNI plugins. Rehearse a cluster plan on it before production:",
      "  ./kdensity sim-cluster --kubeconfig sim.kubeconfig --env sim.env &",
      "  set -a; . ./sim.env; set +a; KUBECONFIG=sim.kubeconfig \\",
      "    ./kdensity ramp --target kube --plan scale-tests/plans/cluster-smoke.yaml",
      "Runs until Ctrl-C or SIGTERM, then removes its pods (CNI DEL), namespaces and links."
          + " Needs root. Only one sim-cluster or local ramp per machine at a time."
    })
public final class SimClusterCommand implements Callable<Integer> {
  @Option(
      names = "--kubeconfig",
      required = true,
      description = "Write a kubeconfig that reaches the cluster (as its admin) here.")
  Path kubeconfig;

  @Option(
      names = "--env",
      description =
          "Write the node's name and NICs here as KDENSITY_NODE=…, KDENSITY_MASTER=… (the first NIC) and KDENSITY_MASTER_<k>=… lines, the placeholders of the cluster plans.")
  Path env;

  @Option(names = "--node", description = "The node's name. Default: ${DEFAULT-VALUE}.")
  String node = SimOptions.DEFAULT.nodeName();

  @Option(
      names = "--max-pods",
      description =
          "The kubelet's maxPods (the node's allocatable pods). Default: ${DEFAULT-VALUE}, as a stock kubelet.")
  int maxPods = SimOptions.DEFAULT.maxPods();

  @Option(
      names = "--uplinks",
      description =
          "NIC ports of the node, where macvlan/ipvlan networks attach. Default: ${DEFAULT-VALUE}.")
  int uplinks = SimOptions.DEFAULT.uplinks();

  @Option(
      names = "--openshift",
      description =
          "Play OpenShift: serve security.openshift.io and admit pods by SecurityContextConstraints.")
  boolean openshift;

  @Option(
      names = "--kubernetes-version",
      description =
          "The version the API server and kubelet report (decides the kubelet's safe sysctls). Default: ${DEFAULT-VALUE}.")
  String version = SimOptions.DEFAULT.version();

  @Option(
      names = "--pod-security",
      description =
          "Pod Security level of namespaces without an enforce label: privileged, baseline or restricted. Default: ${DEFAULT-VALUE}.")
  String podSecurity = SimOptions.DEFAULT.podSecurity();

  @Option(
      names = "--allowed-unsafe-sysctls",
      split = ",",
      description = "The kubelet's allowedUnsafeSysctls (names, or prefixes ending in *).")
  List<String> allowedUnsafeSysctls = List.of();

  @Option(
      names = "--limit-critical-pods",
      description =
          "Admit system-node-critical and system-cluster-critical pods outside kube-system only in namespaces with a ResourceQuota for their class, as GKE does.")
  boolean limitCriticalPods;

  @Option(
      names = "--port",
      description = "The API server's port on 127.0.0.1. Default: any free one.")
  int port;

  @Option(
      names = "--parallelism",
      description = "Sandboxes the kubelet sets up at the same time. Default: ${DEFAULT-VALUE}.")
  int parallelism = SimOptions.DEFAULT.parallelism();

  @Override
  public Integer call() throws Exception {
    SimOptions o;
    try {
      o =
          new SimOptions(
              node,
              maxPods,
              uplinks,
              openshift,
              version,
              podSecurity,
              allowedUnsafeSysctls,
              port,
              parallelism,
              SimOptions.DEFAULT.cniDirs(),
              SimOptions.DEFAULT.eventQps(),
              SimOptions.DEFAULT.eventBurst(),
              limitCriticalPods);
    } catch (IllegalArgumentException e) {
      // SimOptions checks the option values; its messages name the option
      throw new UsageError(e.getMessage(), e);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    SimCluster cluster =
        SimCluster.start(o, Clock.SYSTEM, m -> System.err.println("[sim-cluster] " + m));
    Thread hook =
        new Thread(
            () -> {
              System.err.println("[sim-cluster] stopping: removing the pods, namespaces and links");
              cluster.close();
              System.err.println("[sim-cluster] stopped");
              stopped.countDown();
            },
            "kd-sim-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    cluster.writeKubeconfig(kubeconfig);
    if (env != null) {
      cluster.writeEnv(env);
    }
    System.err.printf(
        "[sim-cluster] ready: API server %s, node %s (NICs %s), run %s%n"
            + "[sim-cluster] kubeconfig: %s%s%n"
            + "[sim-cluster] Ctrl-C or SIGTERM stops it and removes everything it made%n",
        cluster.url(),
        cluster.nodeName(),
        String.join(", ", cluster.masters()),
        cluster.runId(),
        kubeconfig,
        env == null ? "" : "; placeholders: " + env);
    stopped.await();
    return ExitCodes.PASSED;
  }
}
