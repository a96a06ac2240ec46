package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.kdensity.probes.shell.NodeShell;
import java.util.List;
import java.util.Map;

/**
 * How kdensity reaches the kernel of the node under test: its root network namespace, and each
 * pod's network namespace. In a cluster this is a privileged probe DaemonSet ({@link
 * DaemonSetNode}); tests pass fixtures.
 */
public interface KubeNode extends AutoCloseable {

  /** Prepares access (e.g. waits for the probe DaemonSet's pod on the node). */
  void start();

  /**
   * The node's root network namespace: node-wide tables, limits and counters ({@link
   * RootNamespace}).
   */
  NodeShell host();

  /**
   * The network namespace that holds the node's links (NICs, bridges, the pods' veth peers): the
   * probe pod's own (hostNetwork). The same as {@link #host()} on a real node.
   */
  default NodeShell nodeNamespace() {
    return host();
  }

  /**
   * Namespaces of the node's kernel that play the world outside the node, as the node declares them
   * (a simulated node's emulated switch and router, see {@link KubeLabels#OUTSIDE_NODE}): their
   * neighbour entries count in the kernel's node-wide table but are reported apart. Empty on a real
   * node.
   */
  default List<NodeShell> outsideNode() {
    return List.of();
  }

  /**
   * A shell inside each pod's network namespace, by pod name.
   *
   * @param shells the pods reached
   * @param uninspected the pods not reached, and why
   */
  record PodShells(Map<String, NodeShell> shells, Map<String, String> uninspected) {
    public PodShells {
      shells = Map.copyOf(shells);
      uninspected = Map.copyOf(uninspected);
    }

    /** Every pod reached. */
    public static PodShells of(Map<String, NodeShell> shells) {
      return new PodShells(shells, Map.of());
    }
  }

  /** A shell inside each pod's network namespace; pods that cannot be reached say why. */
  PodShells pods(List<Pod> pods);

  @Override
  void close();
}
