package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.tuning.apply.JournalTarget;
import io.kdensity.tuning.apply.LocalNodeAccess;
import io.kdensity.tuning.apply.NodeAccess;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;

/**
 * Reaches the node a journal names, to restore its values there: this machine directly, a cluster
 * node through a short-lived privileged {@link RestorePod}.
 */
public interface JournalNodes {

  /**
   * Access to a node and what to release once done with it.
   *
   * @param access the node
   * @param release ends the access (deletes the restore pod); never throws
   */
  record Reached(NodeAccess access, Runnable release) implements AutoCloseable {
    @Override
    public void close() {
      release.run();
    }
  }

  /**
   * @throws io.kdensity.scale.targets.InfrastructureException if the node cannot be reached
   */
  Reached reach(JournalTarget target);

  /** How long a restore pod may take to run (image pull included). */
  Duration RESTORE_POD_TIMEOUT = Duration.ofMinutes(3);

  /** The real thing: this machine, or a cluster node through a restore pod. */
  JournalNodes DEFAULT =
      target -> {
        if (target.kind() == JournalTarget.Kind.LOCAL) {
          return new Reached(new LocalNodeAccess(new LocalShell(), ""), () -> {});
        }
        TargetSpec.Kube spec = TargetSpec.Kube.reaching(target.kubeconfig(), target.context());
        KubernetesClient client = KubeTargets.client(spec);
        try {
          JournalCluster.verify(client, target);
          RestorePod pod =
              RestorePod.start(
                  client,
                  target,
                  spec.probeImage(),
                  RESTORE_POD_TIMEOUT,
                  p ->
                      new ExecShell(
                          client,
                          p.getMetadata().getNamespace(),
                          p.getMetadata().getName(),
                          Clock.SYSTEM),
                  Clock.SYSTEM);
          return new Reached(
              pod.access(),
              () -> {
                pod.close();
                client.close();
              });
        } catch (RuntimeException e) {
          client.close();
          throw e;
        }
      };
}
