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

  /** The node's root network namespace. */
  NodeShell host();

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
