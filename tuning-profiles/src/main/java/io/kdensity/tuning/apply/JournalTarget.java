package io.kdensity.tuning.apply;

import java.util.Objects;

/**
 * Where the values of a journal live, so {@code profile revert} restores them there and nowhere
 * else: this machine, or a node of a cluster (reached through a short-lived privileged pod).
 *
 * @param kind this machine or a cluster node
 * @param kubeconfig the kubeconfig file the run used, or null for the default lookup
 * @param context the kubeconfig context, or null for the current one
 * @param node the cluster node's name
 */
public record JournalTarget(Kind kind, String kubeconfig, String context, String node) {
  public enum Kind {
    /** The machine kdensity runs on. */
    LOCAL,
    /** A node of a Kubernetes cluster. */
    CLUSTER
  }

  public static final JournalTarget LOCAL = new JournalTarget(Kind.LOCAL, null, null, null);

  public JournalTarget {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.CLUSTER && (node == null || node.isBlank())) {
      throw new IllegalArgumentException("a cluster journal names its node");
    }
  }

  public static JournalTarget cluster(String kubeconfig, String context, String node) {
    return new JournalTarget(Kind.CLUSTER, kubeconfig, context, node);
  }

  /** "this machine" or "node worker-3 (context lab)". */
  public String describe() {
    return kind == Kind.LOCAL
        ? "this machine"
        : "node " + node + (context == null ? "" : " (context " + context + ")");
  }
}
