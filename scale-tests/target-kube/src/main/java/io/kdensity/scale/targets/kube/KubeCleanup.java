package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Removes kdensity's objects from a cluster: namespaces labelled managed-by=kdensity, but never a
 * live run's ({@link RunLease}) unless forced.
 */
public final class KubeCleanup {
  private KubeCleanup() {}

  /**
   * A kdensity namespace and whether its run is alive.
   *
   * @param aliveBecause why it must be left alone (empty: its run is gone)
   */
  public record RunNamespace(String name, String runId, Optional<String> aliveBecause) {}

  /**
   * kdensity's namespaces (of one run, if {@code runId} is not null) and whether each run is alive
   * at {@code now}.
   */
  public static List<RunNamespace> find(KubernetesClient client, Instant now, String runId) {
    var namespaces =
        runId == null
            ? client.namespaces().withLabel(KubeLabels.MANAGED_BY, KubeLabels.MANAGED_BY_VALUE)
            : client
                .namespaces()
                .withLabel(KubeLabels.MANAGED_BY, KubeLabels.MANAGED_BY_VALUE)
                .withLabel(KubeLabels.RUN, runId);
    List<RunNamespace> out = new ArrayList<>();
    for (Namespace n : namespaces.list().getItems()) {
      String name = n.getMetadata().getName();
      Lease lease = client.leases().inNamespace(name).withName(RunLease.NAME).get();
      out.add(
          new RunNamespace(
              name,
              n.getMetadata().getLabels().getOrDefault(KubeLabels.RUN, ""),
              RunLease.aliveBecause(n, lease, now)));
    }
    return out;
  }

  /** Deletes one run's namespace and everything in it, and waits until it is gone. */
  public static void remove(KubernetesClient client, RunNamespace n, Duration atMost) {
    deleteRun(client, n.name(), n.runId(), atMost);
  }

  /**
   * Deletes a run's pods gracefully and waits, at most {@code atMost}, until their kubelet has
   * stopped them (a Terminating pod goes once its sandbox and IPAM are released), so the next
   * profile or CI job starts on a node that finished; pods still there then are deleted by force.
   * The probe DaemonSet goes first (its controller would re-create its pod), the NADs and the
   * namespace last, waited for too.
   */
  static void deleteRun(KubernetesClient client, String ns, String runId, Duration atMost) {
    deleteRun(client, ns, runId, atMost, atMost);
  }

  /**
   * @param forKubelet how long the pods may take to be stopped (zero: delete them by force at once,
   *     Ctrl-C's teardown)
   */
  static void deleteRun(
      KubernetesClient client, String ns, String runId, Duration forKubelet, Duration atMost) {
    // the probe DaemonSet first: its controller would re-create the probe pod the wait waits for
    client.apps().daemonSets().inNamespace(ns).withLabel(KubeLabels.RUN, runId).delete();
    var pods = client.pods().inNamespace(ns).withLabel(KubeLabels.RUN, runId);
    if (forKubelet.isZero()) {
      pods.withGracePeriod(0).delete();
    } else {
      pods.withGracePeriod(1).delete();
      try {
        Awaitility.await("the pods of run " + runId + " to be stopped by their kubelet")
            .atMost(forKubelet)
            .pollInterval(Duration.ofSeconds(1)) // one list a second, whatever the pod count
            .until(() -> pods.list().getItems().isEmpty());
      } catch (ConditionTimeoutException e) {
        pods.withGracePeriod(0).delete(); // the node did not finish: do not keep the API waiting
      }
    }
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
