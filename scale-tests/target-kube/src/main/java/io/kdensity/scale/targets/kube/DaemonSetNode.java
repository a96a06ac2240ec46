package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.targets.InfrastructureException;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The node's kernel through a privileged probe DaemonSet restricted to the node under test: host
 * network and host PID, so its shell sees the node's root namespace and, with {@code nsenter -t
 * <pause pid> -n}, every pod's namespace. The image needs iproute2, ethtool and fping.
 */
public final class DaemonSetNode implements KubeNode {
  /** The probe pod's requests: it must keep running when the node is full (issue 25, item 5). */
  static final String CPU_REQUEST = "100m";

  static final String MEMORY_REQUEST = "64Mi";

  private final KubernetesClient client;
  private final String namespace;
  private final String runId;
  private final String nodeName;
  private final String image;
  private final Duration timeout;
  private final Clock clock;
  private final RateLimiter execLimiter;
  private final UnaryOperator<NodeShell> wrap;
  private volatile NodeShell pod;
  private volatile NodeShell root;
  private volatile List<NodeShell> outside = List.of();

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
    this(client, namespace, runId, nodeName, image, timeout, clock, execLimiter, s -> s);
  }

  /**
   * @param wrap what every exec into the probe pod goes through (a transcript, for {@code doctor})
   */
  DaemonSetNode(
      KubernetesClient client,
      String namespace,
      String runId,
      String nodeName,
      String image,
      Duration timeout,
      Clock clock,
      RateLimiter execLimiter,
      UnaryOperator<NodeShell> wrap) {
    this.wrap = wrap;
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
            .withServiceAccountName(ProbeServiceAccount.NAME)
            // the probe must outlive the pressure it measures: the kubelet evicts by priority and
            // by usage above requests, and a BestEffort pod goes first
            .withPriorityClassName(CriticalPodQuota.PRIORITY_CLASS)
            .withAutomountServiceAccountToken(false)
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
            .withNewResources()
            .withRequests(
                Map.of("cpu", new Quantity(CPU_REQUEST), "memory", new Quantity(MEMORY_REQUEST)))
            .endResources()
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
    long since = clock.monotonicTime();
    java.util.function.LongSupplier waited = () -> clock.monotonicTime() - since;
    Pod pod;
    try {
      pod =
          Awaitility.await("the probe DaemonSet's pod on " + nodeName + " to be Ready")
              .atMost(timeout)
              .pollInterval(Duration.ofSeconds(1))
              .until(
                  () -> {
                    refused(dsName)
                        .filter(
                            why -> !clearsByItself(why) || waited.getAsLong() > REFUSAL_GRACE_NANOS)
                        .ifPresent(
                            why -> {
                              throw new InfrastructureException(
                                  "the probe DaemonSet "
                                      + namespace
                                      + "/"
                                      + dsName
                                      + " cannot create its pod: "
                                      + why
                                      + " — the pod is privileged with host network and PID"
                                      + " (the run's namespace is labelled"
                                      + " pod-security.kubernetes.io/enforce=privileged) and runs"
                                      + " as service account "
                                      + ProbeServiceAccount.NAME
                                      + ", which on OpenShift the run binds to the privileged SCC:"
                                      + " that needs `use` of securitycontextconstraints/privileged"
                                      + " (scale-tests/kube/rbac.yaml)");
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
    this.pod =
        wrap.apply(
            new ExecShell(
                client,
                namespace,
                pod.getMetadata().getName(),
                this::readyProbePod,
                clock,
                execLimiter));
    this.root = RootNamespace.of(this.pod);
    this.outside = outsideNamespaces();
  }

  /** The namespaces the Node declares as the world outside it ({@link KubeLabels#OUTSIDE_NODE}). */
  private List<NodeShell> outsideNamespaces() {
    return outside(client.nodes().withName(nodeName).get(), pod);
  }

  @Override
  public List<NodeShell> outsideNode() {
    return outside;
  }

  /** The namespaces {@code n} declares as the world outside it, reached from the probe pod. */
  static List<NodeShell> outside(io.fabric8.kubernetes.api.model.Node n, NodeShell probe) {
    var annotations = n == null ? null : n.getMetadata().getAnnotations();
    String names = annotations == null ? null : annotations.get(KubeLabels.OUTSIDE_NODE);
    if (names == null || names.isBlank()) {
      return List.of();
    }
    List<NodeShell> out = new ArrayList<>();
    for (String name : names.split(",")) {
      if (name.strip().matches("[A-Za-z0-9_.-]+")) {
        out.add(new NetnsShell(name.strip(), probe));
      }
    }
    return List.copyOf(out);
  }

  /** The probe DaemonSet's pod that is Ready now (after an eviction, its replacement). */
  private Optional<String> readyProbePod() {
    return client
        .pods()
        .inNamespace(namespace)
        .withLabel(KubeLabels.ROLE, KubeLabels.ROLE_PROBE)
        .list()
        .getItems()
        .stream()
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> PodTracker.condition(p, "Ready"))
        .map(p -> p.getMetadata().getName())
        .findFirst();
  }

  /** How long a refusal that can clear by itself may last before it counts. */
  static final long REFUSAL_GRACE_NANOS = 30_000_000_000L;

  /**
   * A refusal that clears by itself: the ServiceAccount admission finds no account yet (a new
   * namespace's accounts appear a moment after it), and the DaemonSet controller retries.
   */
  static boolean clearsByItself(String why) {
    return why.contains("error looking up service account");
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
    if (root == null) {
      throw new InfrastructureException("the probe DaemonSet is not running");
    }
    return root;
  }

  @Override
  public NodeShell nodeNamespace() {
    if (pod == null) {
      throw new InfrastructureException("the probe DaemonSet is not running");
    }
    return pod;
  }

  @Override
  public PodShells pods(List<Pod> pods) {
    return podShells(nodeNamespace(), pods);
  }

  /** Each pod's network namespace, entered from the probe pod through its sandbox process. */
  static PodShells podShells(NodeShell probe, List<Pod> pods) {
    PauseProcesses pauses =
        PauseProcesses.parse(
            probe
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
        shells.put(name, NetnsShell.ofProcess(name, f.sandbox().pid(), probe));
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
