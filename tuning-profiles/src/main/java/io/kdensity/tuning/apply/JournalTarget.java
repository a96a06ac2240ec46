package io.kdensity.tuning.apply;

import java.util.Objects;

/**
 * Where the values of a journal live, so {@code profile revert} restores them there and nowhere
 * else: this machine, or a node of a cluster (reached through a short-lived privileged pod). A
 * cluster node is named by its cluster's API server and its Node object's UID as well as by its
 * name: a kubeconfig that now points elsewhere, or a node re-created under the same name (a new
 * machine, with its own defaults), must not receive the old machine's values.
 *
 * @param kind this machine or a cluster node
 * @param kubeconfig the kubeconfig file the run used, or null for the default lookup
 * @param context the kubeconfig context, or null for the current one
 * @param node the cluster node's name
 * @param server the API server's URL the run talked to; null in journals written before it was kept
 * @param nodeUid the Node object's UID when the run started; null in journals written before it was
 *     kept
 */
public record JournalTarget(
    Kind kind, String kubeconfig, String context, String node, String server, String nodeUid) {
  public enum Kind {
    /** The machine kdensity runs on. */
    LOCAL,
    /** A node of a Kubernetes cluster. */
    CLUSTER
  }

  public static final JournalTarget LOCAL =
      new JournalTarget(Kind.LOCAL, null, null, null, null, null);

  public JournalTarget {
    Objects.requireNonNull(kind, "kind");
    if (kind == Kind.CLUSTER && (node == null || node.isBlank())) {
      throw new IllegalArgumentException("a cluster journal names its node");
    }
  }

  /**
   * @param server the API server's URL
   * @param nodeUid the Node object's UID
   */
  public static JournalTarget cluster(
      String kubeconfig, String context, String server, String node, String nodeUid) {
    return new JournalTarget(Kind.CLUSTER, kubeconfig, context, node, server, nodeUid);
  }

  /** "this machine" or "node worker-3 of https://api.lab:6443 (context lab)". */
  public String describe() {
    return kind == Kind.LOCAL
        ? "this machine"
        : "node "
            + node
            + (server == null ? "" : " of " + server)
            + (context == null ? "" : " (context " + context + ")");
  }
}
