package io.kdensity.scale.sim;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kdensity.config.run.AttachMode;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.local.EmbeddedNode;
import io.kdensity.scale.targets.local.LocalNames;
import io.kdensity.scale.targets.local.NodeLock;
import io.micrometer.core.instrument.Clock;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A Kubernetes cluster in a box whose one worker node is the embedded node: an API server on
 * 127.0.0.1, a scheduler, the node's kubelet with Multus, a DaemonSet and a namespace controller,
 * each a client of the API server with an identity of its own, as the real ones are. Everything it
 * makes is named {@code kd-<runid>-…} and removed on {@link #close()}; while it runs it holds the
 * local node lock (a local ramp beside it would measure the same node-wide tables).
 *
 * <pre>{@code
 * try (SimCluster c = SimCluster.start(SimOptions.DEFAULT, Clock.SYSTEM, System.err::println)) {
 *   c.writeKubeconfig(Path.of("sim.kubeconfig"));
 *   // kdensity ramp --target kube against it
 * }
 * }</pre>
 */
public final class SimCluster implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final SimOptions options;
  private final LocalNames names;
  private final Consumer<String> log;
  private final Deque<AutoCloseable> closers = new ArrayDeque<>();
  private EmbeddedNode node;
  private Identities identities;
  private String url;
  private Kubelet kubelet;
  private EventRecorder kubeletEvents;
  private boolean closed;

  private SimCluster(SimOptions options, LocalNames names, Consumer<String> log) {
    this.options = options;
    this.names = names;
    this.log = log;
  }

  /**
   * Starts the cluster; when it returns, the API server answers and the node is Ready.
   *
   * @throws InfrastructureException if it cannot start (what was made is removed)
   */
  public static SimCluster start(SimOptions options, Clock clock, Consumer<String> log) {
    SimCluster c = new SimCluster(options, LocalNames.random(), log);
    try {
      c.build(clock);
    } catch (RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  private void build(Clock clock) {
    LocalShell host = new LocalShell();
    preflight(host);
    closers.push(
        NodeLock.acquire(
            NodeLock.defaultDir(),
            NodeLock.Holder.run(names.runId(), "sim-cluster", Instant.now())));
    TargetSpec.Local spec =
        new TargetSpec.Local(
            options.cniDirs(),
            options.uplinks(),
            TargetSpec.Local.DEFAULT.switchMacTable(),
            TargetSpec.Local.DEFAULT.nicUnicastFilter(),
            false,
            options.parallelism(),
            TargetSpec.Local.DEFAULT.stateDir(),
            TargetSpec.Local.Teardown.CNI_DEL,
            AttachMode.CNI,
            // the node's networks arrive later, as NetworkAttachmentDefinitions: no routers yet
            0,
            // a worker node runs kube-proxy, whose rules make its namespace track connections
            true);
    // removed after the node, whose cleanup kills what is left in the pods' cgroups
    PodCgroups cgroups = PodCgroups.create(names.prefix() + "kubepods");
    closers.push(cgroups);
    log.accept("creating the node " + options.nodeName() + " (" + names.prefix() + "*)");
    node = EmbeddedNode.start(names, host, spec);
    closers.push(node);
    Path fifo = node.stateDir().resolve("pause.fifo");
    var mk = host.run(Command.of("mkfifo", fifo.toString()));
    if (!mk.ok()) {
      throw new InfrastructureException("cannot make " + fifo + ": " + mk.firstErrorLine());
    }

    KubeVersion version = KubeVersion.parse(options.version());
    Vertx vertx = Vertx.vertx();
    closers.push(
        () -> vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
    ApiStore store = new ApiStore(Bootstrap.storeResources());
    identities = new Identities(options.nodeName());
    Rbac rbac = new Rbac(store);
    ExecutorService pumps = Executors.newCachedThreadPool(DaemonThreads.named("kd-sim-exec"));
    closers.push(pumps::shutdownNow);
    DeferredExec exec = new DeferredExec();
    List<ApiHandler> handlers =
        List.of(
            new Authentication(identities),
            new Discovery(version, options.openshift()),
            new AccessReviews(identities, rbac),
            new NodeProxy(options.nodeName(), options.maxPods(), options.allowedUnsafeSysctls()),
            new FieldSelectors(store),
            new ExecEndpoint(store, exec, pumps),
            new GracefulDeletion(store, clock),
            new TerminatingWrites(store),
            new Admission(
                store,
                identities,
                PodSecurity.Level.of(options.podSecurity()),
                new PriorityAdmission(store, options.limitCriticalPods()),
                options.openshift() ? new SccAdmission(rbac) : null));
    ApiServer server = new ApiServer(vertx, store, handlers, log);
    int port = server.start("127.0.0.1", options.port());
    closers.push(server);
    url = "http://127.0.0.1:" + port;

    KubernetesClient admin = client(identities.adminToken(), "kubectl");
    Bootstrap.create(admin, options.openshift());

    NamespaceController namespaces =
        new NamespaceController(client(Identities.token("namespace"), "namespace-controller"), log);
    namespaces.start();
    closers.push(namespaces);
    NodeStatus status =
        new NodeStatus(
            client(Identities.token("kubelet"), "kubelet/" + version.git()),
            options.nodeName(),
            options.maxPods(),
            version,
            node.outsideNamespace(),
            clock);
    status.start();
    closers.push(status);
    KubernetesClient schedulerClient = client(Identities.token("scheduler"), "kube-scheduler");
    EventRecorder schedulerEvents =
        new EventRecorder(schedulerClient, "default-scheduler", "", 50, 100, clock);
    closers.push(schedulerEvents);
    Scheduler scheduler =
        new Scheduler(schedulerClient, options.nodeName(), options.maxPods(), schedulerEvents, log);
    scheduler.start();
    closers.push(scheduler);

    KubernetesClient multusClient = client(Identities.token("multus"), "multus");
    EventRecorder multusEvents =
        new EventRecorder(multusClient, "multus", options.nodeName(), 50, 100, clock);
    closers.push(multusEvents);
    ObjectNode clusterNetwork =
        (ObjectNode) JSON.readTree(Attachment.defaultPrimary(false).config());
    Multus multus =
        new Multus(
            multusClient,
            node,
            clusterNetwork,
            new WhereaboutsIpam(multusClient, node.stateDir().resolve("whereabouts")),
            new SegmentRouter(node),
            multusEvents,
            node.stateDir().resolve("ipam"));
    KubernetesClient kubeletClient =
        client(Identities.token("kubelet"), "kubelet/" + version.git());
    kubeletEvents =
        new EventRecorder(
            kubeletClient,
            "kubelet",
            options.nodeName(),
            options.eventQps(),
            options.eventBurst(),
            clock);
    closers.push(kubeletEvents);
    kubelet =
        new Kubelet(
            kubeletClient,
            options.nodeName(),
            options.maxPods(),
            new SysctlAllowlist(version, options.allowedUnsafeSysctls()),
            node,
            new PodSandboxes(node, cgroups, fifo),
            multus,
            kubeletEvents,
            options.parallelism(),
            clock,
            log);
    exec.delegate = kubelet;
    kubelet.start();
    closers.push(kubelet);
    KubernetesClient dsClient = client(Identities.token("daemonset"), "daemon-set-controller");
    EventRecorder dsEvents = new EventRecorder(dsClient, "daemonset-controller", "", 20, 30, clock);
    closers.push(dsEvents);
    DaemonSetController daemonSets =
        new DaemonSetController(dsClient, options.nodeName(), dsEvents, clock, log);
    daemonSets.start();
    closers.push(daemonSets);
  }

  /** What the sim needs of this machine, every missing piece at once. */
  private void preflight(LocalShell host) {
    List<String> missing = new ArrayList<>();
    if (!"root".equals(System.getProperty("user.name"))) {
      missing.add("root: the simulated node creates network namespaces and runs CNI plugins");
    }
    for (String tool : List.of("ip", "nsenter", "bash", "mkfifo", "cat", "nft")) {
      if (Kubelet.resolve(tool) == null) {
        missing.add("the program " + tool + " (iproute2, util-linux, coreutils, nftables)");
      }
    }
    for (String plugin : List.of("ptp", "host-local")) {
      if (options.cniDirs().stream().noneMatch(d -> Files.isExecutable(d.resolve(plugin)))) {
        missing.add(
            "the CNI plugin "
                + plugin
                + " in "
                + options.cniDirs()
                + " (containernetworking-plugins)");
      }
    }
    if (PodCgroups.hierarchy().isEmpty()) {
      missing.add("a cgroup hierarchy (cgroup2, or cgroup v1's pids) under /sys/fs/cgroup");
    }
    if (!missing.isEmpty()) {
      throw new InfrastructureException(
          "sim-cluster cannot start, missing: " + String.join("; ", missing));
    }
  }

  private KubernetesClient client(String token, String agent) {
    Config cfg =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withOauthToken(token)
            .withUserAgent(agent)
            .withRequestRetryBackoffLimit(5)
            .withMaxConcurrentRequests(256)
            .withMaxConcurrentRequestsPerHost(256)
            .build();
    KubernetesClient c = new KubernetesClientBuilder().withConfig(cfg).build();
    closers.push(c::close);
    return c;
  }

  /** The API server's URL ({@code http://127.0.0.1:PORT}). */
  public String url() {
    return url;
  }

  public String nodeName() {
    return options.nodeName();
  }

  /** The node's NIC ports, where macvlan and ipvlan networks attach ({@code master}). */
  public List<String> masters() {
    return node.uplinks();
  }

  public String runId() {
    return names.runId();
  }

  /** Events the node's kubelet lost to its rate limits. */
  public long kubeletEventsDropped() {
    return kubeletEvents.dropped();
  }

  /** Writes a kubeconfig that reaches the API server as the cluster admin (context "sim"). */
  public Path writeKubeconfig(Path file) throws IOException {
    String text =
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: kdensity-sim",
            "  cluster: {server: '" + url + "'}",
            "users:",
            "- name: kubernetes-admin",
            "  user: {token: '" + identities.adminToken() + "'}",
            "contexts:",
            "- name: sim",
            "  context: {cluster: kdensity-sim, user: kubernetes-admin}",
            "current-context: sim",
            "");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, text);
    return file;
  }

  /**
   * Writes the node's name and NICs as the cluster plans' placeholders: {@code KDENSITY_NODE},
   * {@code KDENSITY_MASTER} (the first NIC) and {@code KDENSITY_MASTER_<k>} for each.
   */
  public Path writeEnv(Path file) throws IOException {
    StringBuilder b = new StringBuilder();
    b.append("KDENSITY_NODE=").append(nodeName()).append('\n');
    b.append("KDENSITY_MASTER=").append(masters().get(0)).append('\n');
    for (int k = 0; k < masters().size(); k++) {
      b.append("KDENSITY_MASTER_").append(k).append('=').append(masters().get(k)).append('\n');
    }
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(file, b.toString());
    return file;
  }

  /** Stops the controllers, the node's pods (CNI DEL), the API server, and removes the node. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!closers.isEmpty()) {
      try {
        closers.pop().close();
      } catch (Exception e) {
        log.accept("while stopping: " + e.getMessage());
      }
    }
  }

  /** The kubelet as exec's runtime, once it exists (the API server starts first). */
  private static final class DeferredExec implements ContainerExec {
    volatile ContainerExec delegate;

    @Override
    public Start exec(
        io.fabric8.kubernetes.api.model.Pod pod,
        String container,
        List<String> argv,
        boolean stdin) {
      ContainerExec d = delegate;
      return d == null
          ? new Start.Refused("the node's runtime is not up")
          : d.exec(pod, container, argv, stdin);
    }

    @Override
    public String notRunning(io.fabric8.kubernetes.api.model.Pod pod, String container) {
      ContainerExec d = delegate;
      return d == null ? "the node's runtime is not up" : d.notRunning(pod, container);
    }
  }
}
