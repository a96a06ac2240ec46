package io.kdensity.scale.targets;

import io.kdensity.probes.kernel.NetnsCleanup;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.reports.model.Prediction;
import io.kdensity.scale.metrics.NodeCondition;
import io.kdensity.scale.metrics.NodeObject;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.tuning.apply.NodeAccess;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node under test that can hold a given number of pods with their interfaces.
 *
 * <p>Life cycle: {@link #preflight()} (nothing created yet) → {@link #setUp()} → any number of
 * {@link #scaleTo(int)} up or down, each followed by {@link #scope()} snapshots and {@link
 * #traffic} → {@link #close()}, which removes everything the run created and waits until the kernel
 * or the API server has really freed it.
 *
 * <p>A node that cannot hold more is a result: attach failures come back as findings in the {@link
 * ScaleResult}. Only infrastructure problems (a missing plugin, an unreachable cluster) throw
 * {@link InfrastructureException}.
 */
public interface Target extends AutoCloseable {

  /** e.g. {@code local node emulation kd-a1b2c3} or {@code kube node worker-3}. */
  String describe();

  /** The run id that names everything this target creates. */
  String runId();

  /**
   * Checks everything the run needs before creating anything, with the pod sysctls already set
   * ({@link #setPodSysctls}).
   *
   * @return warnings: what could not be checked and what that risks
   * @throws PreflightException listing every missing piece and how to get it
   */
  List<String> preflight();

  /** Creates what every step shares (the node and fabric namespaces, NADs, the namespace…). */
  void setUp();

  /** Brings the node to {@code pods} pods (up or down) and reports what attaching cost. */
  ScaleResult scaleTo(int pods);

  /**
   * Deletes {@code count} pods and creates them again, keeping the pod count (a soak's churn): CNI
   * DEL then ADD, or on a cluster delete then create. Addresses are the plan's: fixed ones come
   * back, IPAM may hand out others. This default churns the newest pods; the local and the cluster
   * target churn a random choice.
   *
   * @param seed picks the pods (the same seed, the same choice)
   * @return what re-creating them cost (their attach and ready latencies)
   */
  default ScaleResult churn(int count, long seed) {
    int n = pods();
    if (count > 0) {
      scaleTo(Math.max(0, n - count));
    }
    return scaleTo(n);
  }

  /**
   * Takes the carrier of {@code count} pod interfaces away for {@code down} and gives it back, as a
   * link whose far end comes and goes would (a satellite contact). Only interfaces with a link of
   * their own on the node side (a veth peer) can lose their carrier alone; macvlan's follows its
   * uplink, shared by every pod. An interface is never set down from inside the pod: the kernel
   * would delete its IPv6 addresses ({@code keep_addr_on_down=0}), which no far end does.
   *
   * @param seed picks the interfaces (the same seed, the same choice)
   */
  default FlapResult flap(int count, Duration down, long seed) {
    return FlapResult.none(
        count,
        "no link flapped: "
            + describe()
            + " cannot take a pod link's carrier away (kdensity sets a pod interface's node-side"
            + " veth down)");
  }

  /**
   * The Node's conditions as the kubelet reports them now (a cluster node); empty where nothing
   * reports them (the local node).
   */
  default Map<NodeCondition, Boolean> nodeConditions() {
    return Map.of();
  }

  /**
   * The node's own limits on the pods it takes, for the capacity model: each its size, what {@code
   * pods} of the run need of it besides what is there, and the pod count it refuses. None by
   * default; a cluster node has its kubelet's pod slots and its allocatable CPU and memory.
   *
   * @throws RuntimeException if the node cannot be read (the model then goes without them)
   */
  default List<Prediction.Headroom> nodeLimits(int pods) {
    return List.of();
  }

  /**
   * The objects this run holds on the node now, for leak detection; those it cannot count are
   * absent.
   */
  default Map<NodeObject, Long> objectCounts() {
    return Map.of();
  }

  /**
   * Test-only fault that proves leak detection: from now on skip the CNI DEL of {@code share} of
   * removed pods.
   *
   * @return whether this target can inject it
   */
  default boolean skipCniDel(double share) {
    return false;
  }

  /** Current pod count. */
  int pods();

  /** Where the probes look, for the current pods. */
  ProbeScope scope();

  /**
   * Runs the step's bounded traffic for about {@code hold}: reachability of every pod address from
   * its gateway, and the optional UDP load.
   */
  TrafficResult traffic(Traffic traffic, Duration hold);

  /** Kernel, CPU and NIC facts of the node under test. */
  NodeFacts facts();

  /** Access to the node for tuning profiles. */
  NodeAccess nodeAccess();

  /**
   * Whether the processes that attach pod interfaces run as this JVM's children (the local target's
   * CNI plugins or {@code ip} batches), so their CPU is in the children's rusage. On a cluster the
   * node's runtime runs them.
   */
  default boolean attachesInChildProcesses() {
    return false;
  }

  /** Pod sysctls a profile wants set in every new pod's namespace (applied at pod creation). */
  void setPodSysctls(Map<String, String> sysctls);

  /**
   * The kernel's freeing of deleted network namespaces on the node: whoever deleted them (this
   * target, the node's container runtime after a scale-down, a previous run), a step measured while
   * the kernel holds the RTNL lock for it measures the cleanup. Empty where the node's kernel
   * threads cannot be read.
   */
  default Optional<NetnsCleanup> namespaceCleanup() {
    return Optional.empty();
  }

  /**
   * Where the step's traffic checked a pod address from: the namespace that pinged (the gateway's,
   * or on a cluster the pod's own) and the peer it pinged — what a diagnosis of a lost address
   * looks at (the neighbour entry and the route there). Empty if the address was not pinged.
   */
  default Optional<PingPath> pingPath(String podAddress) {
    return Optional.empty();
  }

  /**
   * A path the reachability traffic took, both ways where the target can see both ends.
   *
   * @param from the namespace that sent the echo request
   * @param peer the address it pinged (the pod's address, or on a cluster the gateway)
   * @param replyFrom the namespace that answers (the pod's), or null when it is outside the node
   * @param replyPeer the address the answer goes to (the pod's gateway), or null
   */
  record PingPath(NodeShell from, String peer, NodeShell replyFrom, String replyPeer) {
    /** A path whose answering end kdensity cannot see (a cluster's gateway). */
    public PingPath(NodeShell from, String peer) {
      this(from, peer, null, null);
    }
  }

  /**
   * Asks for the fastest clean teardown from now on (Ctrl-C: stop at once, remove everything in
   * bulk rather than interface by interface).
   */
  default void abort() {}

  /** Removes everything the run created and waits until it is gone. Idempotent. */
  @Override
  void close();
}
