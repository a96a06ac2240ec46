package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.Capacities;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.reach.FpingParser;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.targets.Futures;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.TrafficResult;
import io.kdensity.tuning.apply.NodeAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Ramps real pods with Multus interfaces on one node of a cluster. Everything it creates lives in
 * namespace {@code kdensity-<runid>}, labelled {@code app.kubernetes.io/managed-by=kdensity}, and
 * is deleted at the end, on Ctrl-C, and by {@code kdensity cleanup --kube}.
 */
public final class KubeTarget implements Target {
  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String RUN = "kdensity.io/run";
  static final String NETWORKS = "k8s.v1.cni.cncf.io/networks";
  static final ResourceDefinitionContext NAD =
      new ResourceDefinitionContext.Builder()
          .withGroup("k8s.cni.cncf.io")
          .withVersion("v1")
          .withKind("NetworkAttachmentDefinition")
          .withPlural("network-attachment-definitions")
          .withNamespaced(true)
          .build();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Plan plan;
  private final TargetSpec.Kube spec;
  private final KubernetesClient client;
  private final KubeNode node;
  private final String runId;
  private final String namespace;
  private volatile NodeFacts facts;
  private final RateLimiter limiter;
  private final ExecutorService pool;
  private final PodTracker tracker = new PodTracker();
  private volatile long firstCreate;
  private volatile long lastCreate;
  private final List<String> pods = new ArrayList<>();
  private SharedIndexInformer<Pod> podInformer;
  private SharedIndexInformer<Event> eventInformer;
  private volatile Map<String, String> podSysctls = Map.of();
  private boolean setUp;
  private boolean closed;

  public KubeTarget(
      Plan plan, KubernetesClient client, KubeNode node, String runId, NodeFacts facts) {
    this.plan = plan;
    this.spec = plan.target().kube();
    this.client = client;
    this.node = node;
    this.runId = runId;
    this.namespace = "kdensity-" + runId;
    this.facts = facts;
    this.limiter = new RateLimiter(spec.qps(), spec.burst());
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(spec.concurrency(), 256)),
            r -> {
              Thread t = new Thread(r, "kd-kube");
              t.setDaemon(true);
              return t;
            });
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
  public void preflight() {
    int max = plan.ramp().steps().get(plan.ramp().steps().size() - 1);
    KubePreflight.check(client, namespace, plan.target().node(), max);
  }

  @Override
  public synchronized void setUp() {
    if (setUp) {
      return;
    }
    setUp = true;
    Map<String, String> labels = Map.of(MANAGED_BY, "kdensity", RUN, runId);
    client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName(namespace)
                .withLabels(labels)
                .endMetadata()
                .build())
        .create();
    for (Attachment a : plan.attachments()) {
      GenericKubernetesResource nad =
          new GenericKubernetesResourceBuilder()
              .withApiVersion("k8s.cni.cncf.io/v1")
              .withKind("NetworkAttachmentDefinition")
              .withNewMetadata()
              .withName(a.name())
              .withNamespace(namespace)
              .withLabels(labels)
              .endMetadata()
              .addToAdditionalProperties("spec", Map.of("config", a.config()))
              .build();
      client.genericKubernetesResources(NAD).inNamespace(namespace).resource(nad).create();
    }
    podInformer =
        client.pods().inNamespace(namespace).withLabel(RUN, runId).inform(tracker.podHandler(), 0);
    eventInformer = client.v1().events().inNamespace(namespace).inform(tracker.eventHandler(), 0);
    node.start();
  }

  @Override
  public void setPodSysctls(Map<String, String> sysctls) {
    this.podSysctls = Map.copyOf(sysctls);
  }

  @Override
  public int pods() {
    return pods.size();
  }

  String podName(int i) {
    return String.format("kd-%s-p%05d", runId, i);
  }

  /** The pod number in a name made by {@link #podName}. */
  static int podIndex(String podName) {
    return Integer.parseInt(podName.substring(podName.lastIndexOf("-p") + 2));
  }

  /**
   * The networks annotation of pod {@code pod}: net1..netK cycling through the attachments, like
   * the local target, with the fixed {@code ips} of attachments that declare them.
   */
  String networksAnnotation(int pod) {
    List<Map<String, Object>> nets = new ArrayList<>();
    for (int i = 1; i <= plan.interfacesPerPod(); i++) {
      Map<String, Object> net = new LinkedHashMap<>();
      net.put("name", plan.attachmentOf(i).name());
      net.put("interface", "net" + i);
      List<String> ips = plan.podAddresses(pod, i);
      if (!ips.isEmpty()) {
        net.put("ips", ips);
      }
      nets.add(net);
    }
    return JSON.writeValueAsString(nets);
  }

  Pod podSpec(String name) {
    List<Sysctl> sysctls = new ArrayList<>();
    podSysctls.forEach((k, v) -> sysctls.add(new Sysctl(k, v)));
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(namespace)
        .withLabels(Map.of(MANAGED_BY, "kdensity", RUN, runId, "kdensity.io/role", "pod"))
        .withAnnotations(
            plan.interfacesPerPod() == 0
                ? Map.of()
                : Map.of(NETWORKS, networksAnnotation(podIndex(name))))
        .endMetadata()
        .withNewSpec()
        .withNodeSelector(Map.of("kubernetes.io/hostname", plan.target().node()))
        .addNewToleration()
        .withOperator("Exists")
        .endToleration()
        .withTerminationGracePeriodSeconds(0L)
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext()
        .withSysctls(sysctls)
        .endSecurityContext()
        .addNewContainer()
        .withName("pause")
        .withImage(spec.image())
        .withNewResources()
        .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("1m"))
        .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("4Mi"))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }

  @Override
  public ScaleResult scaleTo(int target) {
    if (closed) {
      throw new InfrastructureException("the target is closed");
    }
    long t0 = System.nanoTime();
    Histogram attach = new ConcurrentHistogram(3_600_000_000L, 3);
    Histogram ready = new ConcurrentHistogram(3_600_000_000L, 3);
    List<Finding> findings = new ArrayList<>();
    int failuresBefore = tracker.failures.size();
    if (target > pods.size()) {
      firstCreate = 0;
      lastCreate = 0;
      List<String> created = new ArrayList<>();
      List<Future<?>> fs = new ArrayList<>();
      for (int i = pods.size() + 1; i <= target; i++) {
        String name = podName(i);
        created.add(name);
        fs.add(pool.submit(() -> create(name)));
      }
      fs.forEach(Futures::join);
      pods.addAll(created);
      List<String> stuck = awaitReady(created);
      for (String p : created) {
        PodTracker.Times t = tracker.times(p);
        if (t.ready > 0) {
          ready.recordValue(Math.max(1, (t.ready - t.created) / 1000));
        }
        if (t.networked > 0 && t.scheduled > 0) {
          attach.recordValue(Math.max(1, (t.networked - t.scheduled) / 1000));
        }
      }
      List<PodTracker.SandboxFailure> failed =
          tracker.failures.subList(failuresBefore, tracker.failures.size());
      if (!failed.isEmpty() || !stuck.isEmpty()) {
        List<Evidence> ev = new ArrayList<>();
        failed.stream()
            .limit(10)
            .forEach(
                f -> ev.add(Evidence.observed("pod " + f.pod() + " " + f.reason(), f.message())));
        stuck.stream()
            .limit(10)
            .forEach(
                p ->
                    ev.add(
                        Evidence.observed(
                            "pod " + p, "not Ready after " + spec.readyTimeoutSeconds() + " s")));
        String first =
            failed.isEmpty()
                ? "pods not Ready after " + spec.readyTimeoutSeconds() + " s"
                : failed.get(0).message();
        FindingCode code =
            first.toLowerCase().contains("exchange full")
                ? FindingCode.BRIDGE_PORT_LIMIT
                : FindingCode.ATTACH_FAILED;
        findings.add(
            new Finding(
                code,
                Severity.CRITICAL,
                "node " + plan.target().node(),
                String.format(
                    "%,d sandbox failures, %,d pods not Ready: %s",
                    failed.size(), stuck.size(), first),
                ev));
      }
    } else if (target < pods.size()) {
      List<String> gone = new ArrayList<>(pods.subList(target, pods.size()));
      pods.subList(target, pods.size()).clear();
      List<Future<?>> fs = new ArrayList<>();
      for (String p : gone) {
        fs.add(
            pool.submit(
                () -> {
                  limit();
                  client.pods().inNamespace(namespace).withName(p).withGracePeriod(0).delete();
                }));
      }
      fs.forEach(Futures::join);
      Awaitility.await("deleted pods to be gone")
          .atMost(Duration.ofSeconds(spec.readyTimeoutSeconds()))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  gone.stream()
                      .allMatch(
                          p ->
                              tracker.times(p).deleted
                                  || client.pods().inNamespace(namespace).withName(p).get()
                                      == null));
    }
    int ifs = pods.size() * (plan.interfacesPerPod() + 1);
    return new ScaleResult(
        pods.size(), ifs, attach, ready, findings, Duration.ofNanos(System.nanoTime() - t0));
  }

  private void limit() {
    try {
      limiter.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted", e);
    }
  }

  /** Seconds between the first and the last pod creation of the last scale-up. */
  double createWindowSeconds() {
    return (lastCreate - firstCreate) / 1e9;
  }

  /** Creates a pod; a 409 (a retried create that had succeeded) counts as created. */
  private void create(String name) {
    limit();
    long now = System.nanoTime();
    synchronized (this) {
      if (firstCreate == 0 || now < firstCreate) {
        firstCreate = now;
      }
      lastCreate = Math.max(lastCreate, now);
    }
    tracker.created(name);
    try {
      client.pods().inNamespace(namespace).resource(podSpec(name)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 409) {
        throw new InfrastructureException("cannot create pod " + name + ": " + e.getMessage(), e);
      }
    }
  }

  /** Waits until every pod is Ready or has a sandbox failure; returns those that are neither. */
  private List<String> awaitReady(List<String> created) {
    try {
      Awaitility.await("pods to become Ready")
          .atMost(Duration.ofSeconds(spec.readyTimeoutSeconds()))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> created.stream().allMatch(this::settled));
    } catch (ConditionTimeoutException e) {
      // pods that neither run nor fail are a finding: the node did not hold them
    }
    return created.stream().filter(p -> !settled(p)).toList();
  }

  private boolean settled(String pod) {
    return tracker.times(pod).ready > 0
        || tracker.failures.stream().anyMatch(f -> f.pod().equals(pod));
  }

  /** Interfaces and addresses of a pod from Multus' network-status annotation. */
  static List<PodInterface> interfaces(Pod p) {
    List<PodInterface> out = new ArrayList<>();
    String status =
        p.getMetadata().getAnnotations() == null
            ? null
            : p.getMetadata().getAnnotations().get(PodTracker.NETWORK_STATUS);
    if (status == null) {
      return out;
    }
    for (JsonNode n : JSON.readTree(status)) {
      List<String> ips = new ArrayList<>();
      n.path("ips").forEach(ip -> ips.add(Addresses.canonical(ip.asString())));
      String ifname =
          n.path("interface").asString(n.path("default").asBoolean(false) ? "eth0" : "?");
      String name = n.path("name").asString();
      out.add(
          new PodInterface(
              ifname,
              name.contains("/") ? name.substring(name.indexOf('/') + 1) : name,
              n.path("default").asBoolean(false) ? "default" : "multus",
              null,
              ips));
    }
    return out;
  }

  private List<Pod> currentPods() {
    List<Pod> out = new ArrayList<>();
    for (String p : pods) {
      Pod last = tracker.times(p).last;
      if (last != null) {
        out.add(last);
      }
    }
    return out;
  }

  @Override
  public ProbeScope scope() {
    List<Pod> current = currentPods();
    Map<String, NodeShell> shells = node.pods(current);
    List<PodView> views = new ArrayList<>();
    for (Pod p : current) {
      NodeShell sh = shells.get(p.getMetadata().getName());
      if (sh != null) {
        views.add(new PodView(p.getMetadata().getName(), sh, interfaces(p)));
      }
    }
    NodeShell host = node.host();
    return new ProbeScope(
        host,
        host,
        List.of(host),
        views,
        List.of(host),
        List.of(),
        Capacities.DEFAULT,
        facts,
        Map.of());
  }

  /**
   * Each pod pings its gateways once per interface from inside its namespace (through the probe
   * DaemonSet); an interface whose gateway does not answer marks its addresses unreachable.
   */
  @Override
  public TrafficResult traffic(Traffic traffic, Duration hold) {
    long t0 = System.nanoTime();
    Map<String, Boolean> reach = new ConcurrentHashMap<>();
    if (traffic.reachability()) {
      List<Pod> current = currentPods();
      Map<String, NodeShell> shells = node.pods(current);
      List<Future<?>> fs = new ArrayList<>();
      for (Pod p : current) {
        NodeShell sh = shells.get(p.getMetadata().getName());
        if (sh == null) {
          continue;
        }
        fs.add(pool.submit(() -> reach.putAll(pingGateways(sh, p, traffic))));
      }
      fs.forEach(Futures::join);
    }
    long spent = (System.nanoTime() - t0) / 1_000_000;
    if (spent < hold.toMillis()) {
      try {
        Thread.sleep(hold.toMillis() - spent);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new TrafficResult(reach, 0, Duration.ofNanos(System.nanoTime() - t0));
  }

  static Map<String, Boolean> pingGateways(NodeShell pod, Pod p, Traffic t) {
    Map<String, Boolean> out = new HashMap<>();
    String status = p.getMetadata().getAnnotations().getOrDefault(PodTracker.NETWORK_STATUS, "[]");
    Map<String, List<String>> gwToAddrs = new LinkedHashMap<>();
    for (JsonNode n : JSON.readTree(status)) {
      List<String> ips = new ArrayList<>();
      n.path("ips").forEach(ip -> ips.add(Addresses.canonical(ip.asString())));
      for (JsonNode gw : n.path("gateway")) {
        gwToAddrs
            .computeIfAbsent(Addresses.canonical(gw.asString()), k -> new ArrayList<>())
            .addAll(ips);
      }
    }
    if (gwToAddrs.isEmpty()) {
      return out;
    }
    List<String> argv =
        new ArrayList<>(
            List.of(
                "fping",
                "-r",
                Integer.toString(t.pingRetries()),
                "-t",
                Long.toString(Math.max(1, t.pingTimeout().toMillis()))));
    argv.addAll(gwToAddrs.keySet());
    CommandResult r = pod.run(Command.of(argv));
    Map<String, Boolean> alive =
        FpingParser.parse(r.stdout(), "fping in pod " + p.getMetadata().getName());
    gwToAddrs.forEach((gw, addrs) -> addrs.forEach(a -> out.put(a, alive.getOrDefault(gw, false))));
    return out;
  }

  /** Facts from the Node object (kernel, CPUs); what it does not tell stays unknown. */
  @Override
  public NodeFacts facts() {
    try {
      io.fabric8.kubernetes.api.model.Node n = client.nodes().withName(plan.target().node()).get();
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
    NodeShell host = node.host();
    return new NodeAccess() {
      public NodeShell host() {
        return host;
      }

      public NodeShell node() {
        return host;
      }

      public String nodeNamespace() {
        return "";
      }

      public Optional<NodeShell> namespace(String name) {
        return name.isEmpty() ? Optional.of(host) : Optional.empty();
      }
    };
  }

  /** Deletes the run's namespace (pods, NADs, the probe DaemonSet) and waits until it is gone. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    pool.shutdownNow();
    if (podInformer != null) {
      podInformer.close();
    }
    if (eventInformer != null) {
      eventInformer.close();
    }
    node.close();
    KubeCleanup.deleteRun(client, namespace, runId, Duration.ofMinutes(5));
  }
}
