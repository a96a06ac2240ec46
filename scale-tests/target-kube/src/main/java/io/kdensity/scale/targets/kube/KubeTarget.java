package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kdensity.probes.kernel.NetnsCleanup;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.reports.model.Prediction;
import io.kdensity.scale.metrics.NodeCondition;
import io.kdensity.scale.metrics.NodeObject;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.targets.AttachFailures;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.FlapResult;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.PreflightException;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.TrafficResult;
import io.kdensity.tuning.apply.JournalTarget;
import io.kdensity.tuning.apply.NodeAccess;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.ToLongFunction;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Ramps real pods with Multus interfaces on one node of a cluster. This class ties the parts
 * together: {@link PodSpecs} (what is created), {@link PodScaler} (creating, waiting, deleting),
 * {@link PodTracker} (what the informers saw), {@link NetworkStatus} (what Multus attached) and
 * {@link KubeNode} (the node's kernel, through the probe DaemonSet). Everything it creates lives in
 * namespace {@code kdensity-<runid>}, labelled {@code app.kubernetes.io/managed-by=kdensity}, and
 * is deleted at the end, on Ctrl-C, and by {@code kdensity cleanup --kube}.
 */
public final class KubeTarget implements Target {
  private final Plan plan;
  private final KubernetesClient client;
  private final KubeNode node;
  private final String runId;
  private final String namespace;
  private final Clock clock;
  private final PodTracker tracker;
  private final PodSpecs specs;
  private final PodScaler scaler;
  private final KubeTraffic traffic;
  private final BridgePortFlap flaps;
  private final WhereaboutsAllocations whereabouts;
  private final ClusterStages clusterStages;
  private volatile NodeFacts facts;
  private SharedIndexInformer<Pod> podInformer;
  private SharedIndexInformer<Event> eventInformer;
  private RunLease lease;
  private NodeLease nodeLease;
  private final InformerHealth informers = new InformerHealth();
  private boolean setUp;
  private boolean closed;
  private volatile boolean aborted;

  /** The probe DaemonSet runs: from set-up until close. */
  private volatile boolean probing;

  public KubeTarget(
      Plan plan,
      KubernetesClient client,
      KubeNode node,
      String runId,
      NodeFacts facts,
      Clock clock) {
    this.plan = plan;
    this.client = client;
    this.node = node;
    this.runId = runId;
    this.namespace = "kdensity-" + runId;
    this.facts = facts;
    this.clock = clock;
    this.tracker = new PodTracker(clock);
    this.specs = new PodSpecs(plan, runId, namespace);
    this.scaler = new PodScaler(client, namespace, plan.target().kube(), specs, tracker, clock);
    this.traffic = new KubeTraffic(plan, node, clock);
    this.flaps = new BridgePortFlap(node, plan.attachments());
    this.whereabouts = new WhereaboutsAllocations(client, plan.attachments());
    this.clusterStages = new ClusterStages(plan.attachments());
  }

  @Override
  public String describe() {
    return "kube node " + plan.target().node() + " (namespace " + namespace + ")";
  }

  @Override
  public String runId() {
    return runId;
  }

  public String namespace() {
    return namespace;
  }

  @Override
  public List<String> preflight() {
    int max = plan.ramp().max();
    List<String> warnings =
        new ArrayList<>(
            KubePreflight.check(
                client,
                namespace,
                plan.target().node(),
                max,
                specs.sysctls(),
                ProbeServiceAccount.openshift(client)));
    whereabouts.unreadableWhy().ifPresent(warnings::add);
    NodeLease.heldBy(client, plan.target().node(), Instant.ofEpochMilli(clock.wallTime()))
        .ifPresent(
            h -> {
              throw new PreflightException(
                  "kube target",
                  List.of(
                      "node "
                          + plan.target().node()
                          + " is in use by "
                          + h
                          + ": one run per node (two would interleave their profiles and measure"
                          + " each other's pods); wait for it to end, or if it crashed, for its"
                          + " lease to go stale ("
                          + RunLease.DURATION.toSeconds()
                          + " s without renewal)"));
            });
    return warnings;
  }

  @Override
  public synchronized void setUp() {
    if (setUp) {
      return;
    }
    setUp = true;
    nodeLease =
        NodeLease.take(client, plan.target().node(), RunLease.holder("run " + runId), clock);
    client.namespaces().resource(KubeLabels.runNamespace(namespace, runId)).create();
    ProbeServiceAccount.create(client, namespace, runId, ProbeServiceAccount.openshift(client));
    CriticalPodQuota.create(client, namespace, runId);
    lease = RunLease.hold(client, namespace, RunLease.holder("run " + runId), clock);
    for (Attachment a : plan.attachments()) {
      GenericKubernetesResource nad =
          new GenericKubernetesResourceBuilder()
              .withApiVersion("k8s.cni.cncf.io/v1")
              .withKind("NetworkAttachmentDefinition")
              .withNewMetadata()
              .withName(a.name())
              .withNamespace(namespace)
              .withLabels(KubeLabels.ofRun(runId))
              .endMetadata()
              .addToAdditionalProperties("spec", Map.of("config", a.config()))
              .build();
      client
          .genericKubernetesResources(KubeLabels.NAD)
          .inNamespace(namespace)
          .resource(nad)
          .create();
    }
    podInformer =
        client
            .pods()
            .inNamespace(namespace)
            .withLabel(KubeLabels.RUN, runId)
            .inform(tracker.podHandler(), 0);
    eventInformer = client.v1().events().inNamespace(namespace).inform(tracker.eventHandler(), 0);
    informers.add("pods of " + namespace, podInformer);
    informers.add("events of " + namespace, eventInformer);
    node.start();
    probing = true;
    NodeMasters.check(node.nodeNamespace(), plan.attachments(), plan.target().node());
  }

  @Override
  public void setPodSysctls(Map<String, String> sysctls) {
    specs.setSysctls(sysctls);
  }

  @Override
  public int pods() {
    return scaler.names().size();
  }

  @Override
  public ScaleResult scaleTo(int target) {
    return scale(
        (attach, ready, failures) -> {
          if (target > pods()) {
            scaler.grow(target, attach, ready, failures);
          } else if (target < pods()) {
            scaler.shrink(target);
          }
        });
  }

  /** Deletes {@code count} pods chosen by {@code seed} and creates them again (new UIDs). */
  @Override
  public ScaleResult churn(int count, long seed) {
    List<String> names = new ArrayList<>(scaler.names());
    Collections.shuffle(names, new Random(seed));
    List<String> chosen = names.subList(0, Math.max(0, Math.min(count, names.size())));
    return scale(
        (attach, ready, failures) -> {
          if (!chosen.isEmpty()) {
            scaler.replace(chosen, attach, ready, failures);
          }
        });
  }

  /** What changing the pods costs: their latencies and failures. */
  private interface PodWork {
    void run(ConcurrentHistogram attach, ConcurrentHistogram ready, AttachFailures.Log failures);
  }

  private ScaleResult scale(PodWork work) {
    if (closed) {
      throw new InfrastructureException("the target is closed");
    }
    informers.require();
    long t0 = clock.monotonicTime();
    ConcurrentHistogram attach = ScaleResult.newHistogram();
    ConcurrentHistogram ready = ScaleResult.newHistogram();
    AttachFailures.Log failures = new AttachFailures.Log();
    long w = clock.monotonicTime();
    work.run(attach, ready, failures);
    long podWork = clock.monotonicTime() - w;
    List<Pod> current = currentPods();
    int attached = current.stream().mapToInt(p -> NetworkStatus.of(p).entries().size()).sum();
    int expected = 1 + plan.interfacesPerPod();
    for (Pod p : current) {
      int listed = NetworkStatus.of(p).entries().size();
      if (PodTracker.condition(p, "Ready") && listed < expected) {
        // Multus wrote no network-status, or fewer entries than the pod asked for
        failures.add(
            "network-status",
            "multus",
            p.getMetadata().getName(),
            "-",
            AttachFailures.NETWORK_STATUS_MISSING
                + ": "
                + listed
                + " of "
                + expected
                + " interfaces listed");
      }
    }
    long elapsed = clock.monotonicTime() - t0;
    // the kubelet, the runtime and Multus run the sandbox and the ADDs where kdensity cannot time
    // them; their events and the pod's annotations show the stages between, some of which arrive
    // after the pod is Ready: recorded once the engine's settle is over
    AttachStages stages = AttachStages.recorder();
    List<PodTracker.Times> created =
        current.stream()
            .map(p -> tracker.times(p.getMetadata().getUid()))
            .filter(t -> t.created >= w)
            .toList();
    stages.whenSettled(
        () ->
            created.forEach(t -> clusterStages.record(t.scheduled, t.networked, t.added, stages)));
    return new ScaleResult(
        pods(),
        attached,
        attach,
        ready,
        stages,
        failures.findings(),
        Duration.ofNanos(elapsed),
        Duration.ofNanos(elapsed - podWork));
  }

  /**
   * Sets the node-side veth of {@code count} bridge-network pod interfaces down and up again, after
   * checking from both ends that it is the pod's ({@link BridgePortFlap}).
   */
  @Override
  public FlapResult flap(int count, Duration down, long seed) {
    informers.require();
    return flaps.flap(currentPods(), count, down, seed);
  }

  /**
   * What the run holds that it can tell apart from the node's other workloads: whereabouts'
   * allocations for the run's pods (as {@link NodeObject#IPAM_LEASES}), where a network uses it.
   */
  @Override
  public Map<NodeObject, Long> objectCounts() {
    return whereabouts.of(namespace).map(n -> Map.of(NodeObject.IPAM_LEASES, n)).orElse(Map.of());
  }

  /** Seconds between the first and the last completed create of the last scale-up. */
  double createWindowSeconds() {
    return scaler.createWindowSeconds();
  }

  /** The latest state the informer saw of each current pod. */
  private List<Pod> currentPods() {
    List<Pod> out = new ArrayList<>();
    for (String name : scaler.names()) {
      tracker.uidOf(name).map(tracker::times).map(t -> t.last).ifPresent(out::add);
    }
    return out;
  }

  @Override
  public Optional<NetnsCleanup> namespaceCleanup() {
    // the probe pod shares the node's PID namespace: it sees the kernel's workers (a pod deleted
    // by the kubelet, a previous run's teardown); before set-up and after close there is no probe
    // pod to look with, and nothing is waited for
    return Optional.of(new NetnsCleanup(() -> probing ? node.host() : null));
  }

  @Override
  public ProbeScope scope() {
    informers.require();
    return scopeOf(
        node, currentPods(), p -> tracker.times(p.getMetadata().getUid()).networked, facts);
  }

  /**
   * What the probes look at: the root namespace for node-wide state, the probe pod's (the same on a
   * real node) for the node's links and bridges, each pod's namespace with the interfaces its
   * network-status lists; on a real node no namespace plays the outside.
   *
   * @param networked when each pod's network came up (nanoseconds of the run's clock), or 0
   */
  static ProbeScope scopeOf(
      KubeNode node, List<Pod> current, ToLongFunction<Pod> networked, NodeFacts facts) {
    KubeNode.PodShells reached = node.pods(current);
    Map<String, NodeShell> shells = reached.shells();
    List<PodView> views = new ArrayList<>();
    for (Pod p : current) {
      NodeShell sh = shells.get(p.getMetadata().getName());
      if (sh != null) {
        long at = networked.applyAsLong(p);
        views.add(
            new PodView(
                p.getMetadata().getName(),
                sh,
                NetworkStatus.of(p).interfaces(at > 0 ? at : PodInterface.UNKNOWN_TIME)));
      }
    }
    NodeShell links = node.nodeNamespace();
    return ProbeScope.builder(node.host(), links)
        .l2Domains(List.of(links))
        .outsideNode(node.outsideNode())
        .pods(views)
        .socketNamespaces(List.of(links))
        .facts(facts)
        .uninspected(reached.uninspected())
        .build();
  }

  @Override
  public TrafficResult traffic(Traffic traffic, Duration hold) {
    return this.traffic.run(traffic, currentPods(), hold);
  }

  @Override
  public Optional<PingPath> pingPath(String podAddress) {
    return traffic.pingPath(podAddress);
  }

  /** Facts from the Node object (kernel, CPUs); what it does not tell stays unknown. */
  @Override
  public NodeFacts facts() {
    try {
      Node n = client.nodes().withName(plan.target().node()).get();
      if (n != null && n.getStatus() != null && n.getStatus().getNodeInfo() != null) {
        var info = n.getStatus().getNodeInfo();
        var cpu =
            n.getStatus().getCapacity() == null ? null : n.getStatus().getCapacity().get("cpu");
        facts =
            new NodeFacts(
                plan.target().node(),
                info.getKernelVersion(),
                info.getOsImage() + " " + info.getArchitecture(),
                cpu == null ? 0 : Integer.parseInt(cpu.getAmount()),
                0,
                List.of());
      }
    } catch (KubernetesClientException | NumberFormatException e) {
      // keep what we had
    }
    return facts;
  }

  @Override
  public NodeAccess nodeAccess() {
    String kubeconfig = plan.target().kube().kubeconfig();
    return new KubeNodeAccess(
        node.host(),
        node.nodeNamespace(),
        JournalTarget.cluster(
            // absolute: `profile revert` may run from another directory
            kubeconfig == null ? null : Path.of(kubeconfig).toAbsolutePath().toString(),
            plan.target().kube().context(),
            JournalCluster.server(client),
            plan.target().node(),
            nodeUid()));
  }

  /** The Node's conditions now; empty if the Node cannot be read. */
  @Override
  public Map<NodeCondition, Boolean> nodeConditions() {
    Node n;
    try {
      n = client.nodes().withName(plan.target().node()).get();
    } catch (KubernetesClientException e) {
      return Map.of();
    }
    if (n == null || n.getStatus() == null || n.getStatus().getConditions() == null) {
      return Map.of();
    }
    Map<NodeCondition, Boolean> out = new java.util.EnumMap<>(NodeCondition.class);
    for (NodeCondition c : NodeCondition.values()) {
      n.getStatus().getConditions().stream()
          .filter(x -> c.type().equals(x.getType()))
          .findFirst()
          .ifPresent(x -> out.put(c, "True".equals(x.getStatus())));
    }
    return out;
  }

  @Override
  public List<Prediction.Headroom> nodeLimits(int pods) {
    Node n = client.nodes().withName(plan.target().node()).get();
    if (n == null) {
      throw new InfrastructureException(
          "node " + plan.target().node() + " is gone from the cluster");
    }
    return NodePodLimits.of(n, NodeCapacity.present(client, plan.target().node()), runId, pods);
  }

  /** The Node object's UID: a journal names the machine, not just its name. */
  private String nodeUid() {
    Node n = client.nodes().withName(plan.target().node()).get();
    if (n == null) {
      throw new InfrastructureException(
          "node " + plan.target().node() + " is gone from the cluster: no profile applied");
    }
    return n.getMetadata().getUid();
  }

  /** Ctrl-C: the teardown deletes the pods by force, without waiting for their kubelet. */
  @Override
  public void abort() {
    aborted = true;
  }

  /**
   * Deletes the run's pods (gracefully, waiting for their kubelet, unless aborted), NADs, probe
   * DaemonSet and namespace, and waits until it is gone.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    probing = false;
    if (lease != null) {
      lease.close();
    }
    scaler.stop();
    traffic.close();
    if (podInformer != null) {
      podInformer.close();
    }
    if (eventInformer != null) {
      eventInformer.close();
    }
    node.close();
    try {
      KubeCleanup.deleteRun(
          client,
          namespace,
          runId,
          aborted ? Duration.ZERO : Duration.ofMinutes(5),
          Duration.ofMinutes(5));
    } finally {
      if (nodeLease != null) {
        nodeLease.close(); // the node is free once the teardown finished (or gave up)
      }
    }
  }
}
