package io.kdensity.scale.targets.kube;

import io.kdensity.probes.shell.NodeShell;
import io.kdensity.tuning.apply.JournalTarget;
import io.kdensity.tuning.apply.NodeAccess;
import java.util.Optional;

/**
 * A cluster node as tuning profiles see it, through a privileged pod's shell: node-wide sysctls in
 * its root namespace, per-namespace sysctls and NICs in the namespace of the node's links (the
 * pod's, hostNetwork; on a real node the two are one, see {@link RootNamespace}). Journals written
 * through it name the cluster node, so a revert goes back to it.
 *
 * @param host the node's root namespace
 * @param links the namespace of the node's links (the pod's own)
 * @param target the cluster node (kubeconfig, context, name)
 */
record KubeNodeAccess(NodeShell host, NodeShell links, JournalTarget target) implements NodeAccess {
  /** How journals name the pod's namespace when it is not the root one. */
  static final String LINKS_NAMESPACE = "hostNetwork";

  /** Node-wide and per-namespace settings through one shell (a real node's root namespace). */
  KubeNodeAccess(NodeShell root, JournalTarget target) {
    this(root, root, target);
  }

  @Override
  public NodeShell node() {
    return links;
  }

  @Override
  public String nodeNamespace() {
    return links == host ? "" : LINKS_NAMESPACE;
  }

  @Override
  public Optional<NodeShell> namespace(String name) {
    if (name.isEmpty()) {
      return Optional.of(host);
    }
    return name.equals(LINKS_NAMESPACE) ? Optional.of(links) : Optional.empty();
  }
}
