package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The kubelet's node registration and heartbeats: the Node object (capacity and allocatable pods =
 * maxPods, CPUs, memory; node info with this machine's kernel and OS; the hostname label), its
 * conditions (Ready, and MemoryPressure / PIDPressure from this machine's available memory and
 * process count against the kubelet's default hard eviction thresholds) every 10 s, and the node
 * Lease in {@code kube-node-lease} renewed every 10 s.
 */
final class NodeStatus implements AutoCloseable {
  /** The annotation kdensity's kube target reads ({@code KubeLabels.OUTSIDE_NODE}). */
  static final String OUTSIDE_NODE = "kdensity.io/outside-node-netns";

  /** The kubelet's default hard eviction threshold {@code memory.available<100Mi}. */
  static final long MEMORY_AVAILABLE_MIN_BYTES = 100L << 20;

  private final KubernetesClient client;
  private final String nodeName;
  private final int maxPods;
  private final KubeVersion version;
  private final String outsideNamespace;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kd-sim-node-status"));

  /**
   * @param outsideNamespace the namespace of this kernel that emulates the world outside the node,
   *     which the Node names in its {@value #OUTSIDE_NODE} annotation for node tools (kdensity's
   *     probes report its neighbour entries apart, as a real node has none of them)
   */
  NodeStatus(
      KubernetesClient client,
      String nodeName,
      int maxPods,
      KubeVersion version,
      String outsideNamespace,
      Clock clock) {
    this.outsideNamespace = outsideNamespace;
    this.client = client;
    this.nodeName = nodeName;
    this.maxPods = maxPods;
    this.version = version;
    this.clock = clock;
  }

  /** Registers the node and starts the heartbeats. */
  void start() {
    int cpus = Runtime.getRuntime().availableProcessors();
    long memory = meminfo("MemTotal");
    Node n =
        new NodeBuilder()
            .withNewMetadata()
            .withName(nodeName)
            .withAnnotations(Map.of(OUTSIDE_NODE, outsideNamespace))
            .withLabels(
                Map.of(
                    Scheduler.HOSTNAME,
                    nodeName,
                    "kubernetes.io/os",
                    "linux",
                    "kubernetes.io/arch",
                    "amd64",
                    "node-role.kubernetes.io/worker",
                    ""))
            .endMetadata()
            .withNewStatus()
            .addToCapacity("pods", new Quantity(Integer.toString(maxPods)))
            .addToCapacity("cpu", new Quantity(Integer.toString(cpus)))
            .addToCapacity("memory", new Quantity(Long.toString(memory)))
            .addToAllocatable("pods", new Quantity(Integer.toString(maxPods)))
            .addToAllocatable("cpu", new Quantity(Integer.toString(cpus)))
            .addToAllocatable("memory", new Quantity(Long.toString(memory)))
            .withConditions(conditions())
            .withNewNodeInfo()
            .withKernelVersion(System.getProperty("os.version"))
            .withOsImage(osImage())
            .withOperatingSystem("linux")
            .withArchitecture("amd64")
            .withKubeletVersion(version.git())
            .withContainerRuntimeVersion("kdensity-sim://1")
            .endNodeInfo()
            .endStatus()
            .build();
    client.nodes().resource(n).create();
    client
        .leases()
        .inNamespace("kube-node-lease")
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(nodeName)
                .withNamespace("kube-node-lease")
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(nodeName)
                .withLeaseDurationSeconds(40)
                .withRenewTime(Instant.ofEpochMilli(clock.wallTime()).atZone(ZoneOffset.UTC))
                .endSpec()
                .build())
        .create();
    timer.scheduleWithFixedDelay(this::beat, 10, 10, TimeUnit.SECONDS);
  }

  private void beat() {
    try {
      client
          .leases()
          .inNamespace("kube-node-lease")
          .withName(nodeName)
          .edit(
              l ->
                  new LeaseBuilder(l)
                      .editSpec()
                      .withRenewTime(Instant.ofEpochMilli(clock.wallTime()).atZone(ZoneOffset.UTC))
                      .endSpec()
                      .build());
      client
          .nodes()
          .withName(nodeName)
          .edit(
              x ->
                  new NodeBuilder(x).editStatus().withConditions(conditions()).endStatus().build());
    } catch (KubernetesClientException e) {
      // the next beat tries again
    }
  }

  List<NodeCondition> conditions() {
    String now = GracefulDeletion.timestamp(clock.wallTime());
    long available = meminfo("MemAvailable");
    boolean memoryPressure = available > 0 && available < MEMORY_AVAILABLE_MIN_BYTES;
    boolean pidPressure = pidPressure();
    return List.of(
        condition("Ready", "True", "KubeletReady", "kubelet is posting ready status", now),
        condition(
            "MemoryPressure",
            memoryPressure ? "True" : "False",
            memoryPressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
            memoryPressure
                ? "kubelet has insufficient memory available"
                : "kubelet has sufficient memory available",
            now),
        condition(
            "PIDPressure",
            pidPressure ? "True" : "False",
            pidPressure ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
            pidPressure
                ? "kubelet has insufficient PID available"
                : "kubelet has sufficient PID available",
            now),
        condition(
            "DiskPressure",
            "False",
            "KubeletHasNoDiskPressure",
            "kubelet has no disk pressure",
            now));
  }

  private static NodeCondition condition(
      String type, String status, String reason, String message, String now) {
    return new NodeConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withLastHeartbeatTime(now)
        .withLastTransitionTime(now)
        .build();
  }

  /**
   * {@code kernel.pid_max}. Read by line: on Java 17 {@code Files.readString} of a /proc/sys file
   * (whose size reads 0) returns its first byte only, "3" for 32768, and the node always reported
   * PID pressure.
   */
  static long pidMax() throws IOException {
    return Long.parseLong(Files.readAllLines(Path.of("/proc/sys/kernel/pid_max")).get(0).strip());
  }

  /** The kubelet's {@code pid.available} signal below 10 % of pid_max. */
  private static boolean pidPressure() {
    try {
      long max = pidMax();
      long used;
      try (var s = Files.list(Path.of("/proc"))) {
        used = s.filter(p -> p.getFileName().toString().matches("\\d+")).count();
      }
      return max - used < max / 10;
    } catch (IOException | NumberFormatException e) {
      return false;
    }
  }

  private static long meminfo(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(key + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // unknown
    }
    return 0;
  }

  private static String osImage() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replace("\"", "");
        }
      }
    } catch (IOException e) {
      // unknown
    }
    return "Linux";
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
