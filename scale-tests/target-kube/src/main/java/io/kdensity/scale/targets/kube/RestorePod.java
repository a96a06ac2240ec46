package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.RunId;
import io.kdensity.tuning.apply.JournalTarget;
import io.kdensity.tuning.apply.NodeAccess;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A short-lived privileged pod on one node, in a namespace of its own, to restore the node's
 * sysctls from a crashed run's journal: host network (the node's network namespace, where its
 * {@code net.*} sysctls live), pinned to the node by name, deleted with its namespace on {@link
 * #close()}.
 *
 * <pre>{@code
 * try (RestorePod pod = RestorePod.start(client, target, image, Duration.ofMinutes(2), shells, clock)) {
 *   ProfileApplier.revert(journal, pod.access(), listener);
 * }
 * }</pre>
 */
public final class RestorePod implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final JournalTarget target;
  private final NodeShell shell;
  private final RunLease lease;

  private RestorePod(
      KubernetesClient client,
      String namespace,
      JournalTarget target,
      NodeShell shell,
      RunLease lease) {
    this.client = client;
    this.namespace = namespace;
    this.target = target;
    this.shell = shell;
    this.lease = lease;
  }

  /**
   * Creates the pod and waits until it runs.
   *
   * @param shells how to reach a running pod's shell (the exec API; a fixture in tests)
   * @throws InfrastructureException if the pod does not run within {@code timeout}, naming why
   */
  public static RestorePod start(
      KubernetesClient client,
      JournalTarget target,
      String image,
      Duration timeout,
      Function<Pod, NodeShell> shells,
      Clock clock) {
    String id = RunId.random().value();
    String namespace = "kdensity-restore-" + id;
    client.namespaces().resource(KubeLabels.runNamespace(namespace, id)).create();
    RestorePod restore = null;
    RunLease lease = null;
    try {
      // a cleanup --kube elsewhere leaves the restore alone while it runs
      lease =
          RunLease.hold(
              client, namespace, RunLease.holder("restore on node " + target.node()), clock);
      // its own account, as the probe's: a new namespace has no `default` account until the
      // service-account controller makes one (a pod created before is refused by the
      // ServiceAccount admission), and on OpenShift only an account bound to the privileged SCC
      // may run a privileged pod
      ProbeServiceAccount.create(client, namespace, id, ProbeServiceAccount.openshift(client));
      Pod pod;
      try {
        pod =
            client
                .pods()
                .inNamespace(namespace)
                .resource(pod(namespace, id, target.node(), image))
                .create();
      } catch (KubernetesClientException e) {
        throw new InfrastructureException(
            "the restore pod for node "
                + target.node()
                + " was refused: "
                + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()),
            e);
      }
      String name = pod.getMetadata().getName();
      Pod running;
      try {
        running =
            Awaitility.await("the restore pod on " + target.node() + " to run")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .until(
                    () -> client.pods().inNamespace(namespace).withName(name).get(),
                    p -> p != null && PodTracker.condition(p, "Ready"));
      } catch (ConditionTimeoutException e) {
        Pod p = client.pods().inNamespace(namespace).withName(name).get();
        throw new InfrastructureException(
            "the restore pod on "
                + target.node()
                + " did not run within "
                + timeout.toSeconds()
                + " s"
                + (p == null || p.getStatus() == null ? "" : ": " + p.getStatus().getConditions()));
      }
      restore = new RestorePod(client, namespace, target, shells.apply(running), lease);
      return restore;
    } finally {
      if (restore == null) {
        if (lease != null) {
          lease.close();
        }
        KubeCleanup.deleteNamespace(client, namespace, Duration.ofMinutes(2));
      }
    }
  }

  static Pod pod(String namespace, String id, String node, String image) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("kd-" + id + "-restore")
        .withNamespace(namespace)
        .withLabels(KubeLabels.ofRun(id, KubeLabels.ROLE_RESTORE))
        .endMetadata()
        .withNewSpec()
        .withServiceAccountName(ProbeServiceAccount.NAME)
        .withAutomountServiceAccountToken(false)
        .withHostNetwork(true)
        .withHostPID(true)
        .withAffinity(NodePinning.affinity(node))
        .addNewToleration()
        .withOperator("Exists")
        .endToleration()
        .withTerminationGracePeriodSeconds(0L)
        .withRestartPolicy("Never")
        .addNewContainer()
        .withName("restore")
        .withImage(image)
        .withCommand("sleep", "600") // bounded: the pod outlives no crash of its own client
        .withNewSecurityContext()
        .withPrivileged(true)
        .endSecurityContext()
        .endContainer()
        .endSpec()
        .build();
  }

  /** The node as tuning profiles see it, through the pod. */
  public NodeAccess access() {
    return new KubeNodeAccess(RootNamespace.of(shell), shell, target);
  }

  @Override
  public void close() {
    lease.close();
    KubeCleanup.deleteNamespace(client, namespace, Duration.ofMinutes(2));
  }
}
