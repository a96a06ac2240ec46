package io.kdensity.scale.targets.kube;

import io.kdensity.probes.shell.NodeShell;
import io.kdensity.tuning.apply.NodeAccess;
import java.util.Optional;

/**
 * A cluster node as tuning profiles see it: its root namespace (through the probe pod's shell) is
 * both the host and the node; no other namespace is reachable by name.
 */
record KubeNodeAccess(NodeShell host) implements NodeAccess {
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
