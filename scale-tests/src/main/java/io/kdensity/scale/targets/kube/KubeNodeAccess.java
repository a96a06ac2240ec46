package io.kdensity.scale.targets.kube;

import io.kdensity.probes.shell.NodeShell;
import io.kdensity.tuning.apply.JournalTarget;
import io.kdensity.tuning.apply.NodeAccess;
import java.util.Optional;

/**
 * A cluster node as tuning profiles see it: its root namespace (through a privileged pod's shell)
 * is both the host and the node; no other namespace is reachable by name. Journals written through
 * it name the cluster node, so a revert goes back to it.
 *
 * @param host the node's root namespace
 * @param target the cluster node (kubeconfig, context, name)
 */
record KubeNodeAccess(NodeShell host, JournalTarget target) implements NodeAccess {
  @Override
  public NodeShell node() {
    return host;
  }

  @Override
  public String nodeNamespace() {
    return "";
  }

  @Override
  public Optional<NodeShell> namespace(String name) {
    return name.isEmpty() ? Optional.of(host) : Optional.empty();
  }
}
