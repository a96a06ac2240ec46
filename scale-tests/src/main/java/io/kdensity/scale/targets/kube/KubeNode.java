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

  /** A shell inside each pod's network namespace, by pod name; pods not found are left out. */
  Map<String, NodeShell> pods(List<Pod> pods);

  @Override
  void close();
}
