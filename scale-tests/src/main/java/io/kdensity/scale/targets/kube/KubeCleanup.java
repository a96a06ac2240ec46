package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;

/** Removes kdensity's objects from a cluster: namespaces labelled managed-by=kdensity. */
public final class KubeCleanup {
  private KubeCleanup() {}

  /**
   * Deletes every kdensity namespace (all runs) and waits until they are gone; returns their names.
   */
  public static List<String> removeAll(KubernetesClient client, Duration atMost) {
    List<String> names =
        client
            .namespaces()
            .withLabel(KubeLabels.MANAGED_BY, KubeLabels.MANAGED_BY_VALUE)
            .list()
            .getItems()
            .stream()
            .map(n -> n.getMetadata().getName())
            .toList();
    for (Namespace n :
        client
            .namespaces()
            .withLabel(KubeLabels.MANAGED_BY, KubeLabels.MANAGED_BY_VALUE)
            .list()
            .getItems()) {
      String run = n.getMetadata().getLabels().getOrDefault(KubeLabels.RUN, "");
      deleteRun(client, n.getMetadata().getName(), run, atMost);
    }
    return names;
  }

  /**
   * Deletes a run's pods (grace 0), NADs and probe DaemonSet by label, then its namespace, and
   * waits until the namespace is gone.
   */
  static void deleteRun(KubernetesClient client, String ns, String runId, Duration atMost) {
    client.pods().inNamespace(ns).withLabel(KubeLabels.RUN, runId).withGracePeriod(0).delete();
    client.apps().daemonSets().inNamespace(ns).withLabel(KubeLabels.RUN, runId).delete();
    client
        .genericKubernetesResources(KubeLabels.NAD)
        .inNamespace(ns)
        .withLabel(KubeLabels.RUN, runId)
        .delete();
    deleteNamespace(client, ns, atMost);
  }

  static void deleteNamespace(KubernetesClient client, String ns, Duration atMost) {
    Namespace n = client.namespaces().withName(ns).get();
    if (n == null
        || n.getMetadata().getLabels() == null
        || !KubeLabels.MANAGED_BY_VALUE.equals(
            n.getMetadata().getLabels().get(KubeLabels.MANAGED_BY))) {
      return; // only ever delete what kdensity created
    }
    client.namespaces().withName(ns).delete();
    Awaitility.await("namespace " + ns + " to be deleted")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> client.namespaces().withName(ns).get() == null);
  }
}
