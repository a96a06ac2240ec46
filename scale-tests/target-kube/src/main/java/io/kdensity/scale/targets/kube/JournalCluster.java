package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.tuning.apply.JournalTarget;

/**
 * Names a cluster node the way a journal keeps it (API server URL, node name, Node UID) and checks,
 * before a revert writes anything, that a client still reaches that very node: a kubeconfig now
 * pointing at another cluster, or a node deleted and re-created under its name (another machine,
 * booted with its own values), must not receive the old machine's values.
 */
final class JournalCluster {
  private JournalCluster() {}

  /** The API server's URL as the journal keeps it: no trailing slash. */
  static String server(KubernetesClient client) {
    String url = client.getMasterUrl().toString();
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /**
   * @throws InfrastructureException naming the cluster or node the client reaches instead
   */
  static void verify(KubernetesClient client, JournalTarget target) {
    String reached = server(client);
    if (target.server() != null && !target.server().equalsIgnoreCase(reached)) {
      throw new InfrastructureException(
          "the journal holds values of "
              + target.describe()
              + ", but the kubeconfig reaches "
              + reached
              + ": pass the --kubeconfig/--context of that cluster");
    }
    Node node = client.nodes().withName(target.node()).get();
    if (node == null) {
      throw new InfrastructureException(
          "node "
              + target.node()
              + " no longer exists on "
              + reached
              + ": its values went with it; delete the journal");
    }
    String uid = node.getMetadata().getUid();
    if (target.nodeUid() != null && !target.nodeUid().equals(uid)) {
      throw new InfrastructureException(
          "node "
              + target.node()
              + " on "
              + reached
              + " was re-created since the run (Node UID "
              + target.nodeUid()
              + " in the journal, "
              + uid
              + " now): the journal's values belong to the old machine; nothing was restored,"
              + " delete the journal");
    }
  }
}
