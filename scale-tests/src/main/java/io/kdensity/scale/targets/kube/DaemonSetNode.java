package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.targets.InfrastructureException;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The node's kernel through a privileged probe DaemonSet restricted to the node under test: host
 * network and host PID, so its shell sees the node's root namespace and, with {@code nsenter -t
 * <pause pid> -n}, every pod's namespace. The image needs iproute2, ethtool and fping.
 */
public final class DaemonSetNode implements KubeNode {
  private final KubernetesClient client;
  private final String namespace;
  private final String runId;
  private final String nodeName;
  private final String image;
  private final Duration timeout;
  private final Clock clock;
  private final RateLimiter execLimiter;
  private volatile ExecShell host;

  /**
   * @param execLimiter permits for every exec into the probe pod (the plan's QPS)
   */
  public DaemonSetNode(
      KubernetesClient client,
      String namespace,
      String runId,
      String nodeName,
      String image,
      Duration timeout,
      Clock clock,
      RateLimiter execLimiter) {
    this.clock = clock;
    this.execLimiter = execLimiter;
    this.client = client;
    this.namespace = namespace;
    this.runId = runId;
    this.nodeName = nodeName;
    this.image = image;
    this.timeout = timeout;
  }

  @Override
  public void start() {
    Map<String, String> labels = KubeLabels.ofRun(runId, KubeLabels.ROLE_PROBE);
    DaemonSet ds =
        new DaemonSetBuilder()
            .withNewMetadata()
            .withName("kd-" + runId + "-probe")
            .withNamespace(namespace)
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withNewSelector()
            .withMatchLabels(labels)
            .endSelector()
            .withNewTemplate()
            .withNewMetadata()
            .withLabels(labels)
            .endMetadata()
            .withNewSpec()
            .withHostNetwork(true)
            .withHostPID(true)
            .withAffinity(NodePinning.affinity(nodeName))
            .addNewToleration()
            .withOperator("Exists")
            .endToleration()
            .addNewContainer()
            .withName("probe")
            .withImage(image)
            .withCommand("sleep", "infinity")
            .withNewSecurityContext()
            .withPrivileged(true)
            .endSecurityContext()
            .endContainer()
            .endSpec()
            .endTemplate()
            .endSpec()
            .build();
    client.apps().daemonSets().inNamespace(namespace).resource(ds).create();
    String dsName = ds.getMetadata().getName();
    Pod pod;
    try {
      pod =
          Awaitility.await("the probe DaemonSet's pod on " + nodeName + " to be Ready")
              .atMost(timeout)
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> {
                    refused(dsName)
                        .ifPresent(
                            why -> {
                              throw new InfrastructureException(
                                  "the probe DaemonSet "
                                      + namespace
                                      + "/"
                                      + dsName
                                      + " cannot create its pod: "
                                      + why
                                      + " — the run's namespace is labelled"
                                      + " pod-security.kubernetes.io/enforce=privileged; on"
                                      + " OpenShift grant its service account the privileged"
                                      + " SCC: oc adm policy add-scc-to-user privileged -z"
                                      + " default -n "
                                      + namespace);
                            });
                    return client
                        .pods()
                        .inNamespace(namespace)
                        .withLabel(KubeLabels.ROLE, KubeLabels.ROLE_PROBE)
                        .list()
                        .getItems()
                        .stream()
                        .filter(p -> PodTracker.condition(p, "Ready"))
                        .findFirst()
                        .orElse(null);
                  },
                  p -> p != null);
    } catch (ConditionTimeoutException e) {
      throw new InfrastructureException(
          "the probe DaemonSet's pod on "
              + nodeName
              + " was not Ready within "
              + timeout.toSeconds()
              + " s (image "
              + image
              + "): check `kubectl -n "
              + namespace
              + " describe daemonset "
              + dsName
              + "`");
    }
    host = new ExecShell(client, namespace, pod.getMetadata().getName(), clock, execLimiter);
  }

  /**
   * Why the DaemonSet controller could not create the probe's pod, if it said so: its {@code
   * FailedCreate} warning event (admission — Pod Security, an OpenShift SCC, a quota — refused it).
   */
  Optional<String> refused(String dsName) {
    return client.v1().events().inNamespace(namespace).list().getItems().stream()
        .filter(
            e ->
                "FailedCreate".equals(e.getReason())
                    && e.getInvolvedObject() != null
                    && "DaemonSet".equals(e.getInvolvedObject().getKind())
                    && dsName.equals(e.getInvolvedObject().getName()))
        .map(e -> e.getMessage())
        .findFirst();
  }

  @Override
  public NodeShell host() {
    if (host == null) {
      throw new InfrastructureException("the probe DaemonSet is not running");
    }
    return host;
  }

  @Override
  public PodShells pods(List<Pod> pods) {
    PauseProcesses pauses =
        PauseProcesses.parse(
            host()
                .run(
                    Command.of("sh", "-c", PauseProcesses.SCRIPT)
                        .withTimeout(Duration.ofMinutes(2)))
                .requireSuccess()
                .stdout());
    Map<String, NodeShell> shells = new HashMap<>();
    Map<String, String> uninspected = new HashMap<>();
    for (Pod p : pods) {
      String name = p.getMetadata().getName();
      PauseProcesses.Lookup found = pauses.of(p.getMetadata().getUid());
      if (found instanceof PauseProcesses.Lookup.Found f) {
        shells.put(name, NetnsShell.ofProcess(name, f.sandbox().pid(), host()));
      } else if (found instanceof PauseProcesses.Lookup.NotFound n) {
        uninspected.put(name, n.why());
      }
    }
    return new PodShells(shells, uninspected);
  }

  @Override
  public void close() {
    // the DaemonSet goes with the run's namespace
  }
}
