package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SubjectAccessReviewStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.TestScopes;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.probes.shell.NodeShell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster for tests: fabric8's mock API server in CRUD mode plus a fake kubelet and Multus that
 * schedule pods on the node, write their network-status, mark them Ready, or emit
 * FailedCreatePodSandBox events for chosen pods. Access reviews are answered by a policy.
 */
public final class FakeCluster implements AutoCloseable {
  public static final String NODE = "worker-1";
  private final java.util.Map<
          io.fabric8.mockwebserver.ServerRequest,
          java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>
      responses = new java.util.HashMap<>();

  private final io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher mixed =
      new io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher(responses);

  /** CRUD mode with expectations first, as @EnableKubernetesMockClient(crud = true) builds it. */
  final KubernetesMockServer server =
      new KubernetesMockServer(
          new io.fabric8.mockwebserver.Context(),
          new io.fabric8.mockwebserver.MockWebServer(),
          responses,
          new AsyncWatchSendsDispatcher(mixed),
          false);

  public final KubernetesClient client;

  /** The fake kubelet's and Multus' own client: its requests are told apart by this agent. */
  static final String KUBELET_AGENT = "fake-kubelet";

  /** The version the fake node's kubelet reports in its node status. */
  static final String KUBELET_VERSION = "v1.32.1";

  private final KubernetesClient kubeletClient;
  final Set<String> failSandbox = ConcurrentHashMap.newKeySet();

  /**
   * Pods Multus attaches but leaves without a network-status annotation (a Multus that may not
   * patch pods logs "failed to update the pod network-status" and the pod runs on).
   */
  final Set<String> noNetworkStatus = ConcurrentHashMap.newKeySet();

  final Set<String> denied = ConcurrentHashMap.newKeySet();

  /**
   * What the kubelet or the scheduler does with chosen pods instead of running them, with the
   * status they write (pkg/kubelet/lifecycle admission: SysctlForbidden, OutOfpods; the scheduler's
   * PodScheduled=False Unschedulable); SANDBOX_RETRY fails the sandbox once, then the kubelet's
   * retry succeeds.
   */
  enum Fate {
    SYSCTL_FORBIDDEN,
    OUT_OF_PODS,
    UNSCHEDULABLE,
    SANDBOX_RETRY
  }

  final Map<String, Fate> fates = new ConcurrentHashMap<>();

  /**
   * The kubelet's allowedUnsafeSysctls (none by default, as a stock kubelet): it refuses a pod that
   * sets any other unsafe sysctl, and serves the list on its /configz through the node proxy.
   */
  final List<String> allowedUnsafeSysctls = new java.util.concurrent.CopyOnWriteArrayList<>();

  /**
   * Pods of other workloads bound to nodes before the run (DaemonSets, system pods): what the API
   * server's spec.nodeName field selector returns for the node (a reply cannot call back into the
   * mock server, so they are kept here).
   */
  final List<Pod> podsOfOthers = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Pods whose sandbox (pause process) the node does not show. */
  final Set<String> noSandbox = ConcurrentHashMap.newKeySet();

  final AtomicInteger nextIp = new AtomicInteger(1);

  /** whereabouts IPAM, for the networks whose NAD config uses it. */
  final FakeWhereabouts whereabouts;

  /** The veths the node's plugins created for the pods (eth0's and the bridge networks'). */
  final FakeNodeLinks links = new FakeNodeLinks();

  /**
   * Pods whose bridge-network port is on bridge {@code br-old}, not the one their NAD names now:
   * the NAD was edited after they attached (the bridge plugin used the config of ADD time).
   */
  final Set<String> portOnOtherBridge = ConcurrentHashMap.newKeySet();

  private final ExecutorService kubelet = Executors.newFixedThreadPool(4);
  private Watch watch;
  private Watch dsWatch;

  /**
   * When set, admission refuses privileged pods with this message (an OpenShift SCC, a webhook).
   */
  final java.util.concurrent.atomic.AtomicReference<String> refusePrivileged =
      new java.util.concurrent.atomic.AtomicReference<>();

  public FakeCluster(int allocatablePods, boolean crd) {
    server.init();
    server.expectCustomResource(
        new CustomResourceDefinitionContext.Builder()
            .withGroup("k8s.cni.cncf.io")
            .withVersion("v1")
            .withKind("NetworkAttachmentDefinition")
            .withPlural("network-attachment-definitions")
            .withScope("Namespaced")
            .build());
    // whereabouts' IPPools, where the fake IPAM keeps its allocations
    server.expectCustomResource(
        new CustomResourceDefinitionContext.Builder()
            .withGroup("whereabouts.cni.cncf.io")
            .withVersion("v1alpha1")
            .withKind("IPPool")
            .withPlural("ippools")
            .withScope("Namespaced")
            .build());
    server
        .expect()
        .post()
        .withPath("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews")
        .andReply(
            201,
            req -> {
              SelfSubjectAccessReview r =
                  Serialization.unmarshal(req.getBody().readUtf8(), SelfSubjectAccessReview.class);
              var a = r.getSpec().getResourceAttributes();
              String key =
                  a.getVerb()
                      + " "
                      + (a.getGroup() == null || a.getGroup().isEmpty() ? "" : a.getGroup() + "/")
                      + a.getResource()
                      + (a.getSubresource() == null ? "" : "/" + a.getSubresource());
              r.setStatus(new SubjectAccessReviewStatus(!denied.contains(key), false, null, null));
              return r;
            })
        .always();
    client = server.createClient();
    kubeletClient =
        new io.fabric8.kubernetes.client.KubernetesClientBuilder()
            .withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(client.getConfiguration())
                    .withUserAgent(KUBELET_AGENT)
                    .build())
            .build();
    whereabouts = new FakeWhereabouts(kubeletClient);
    // the kubelet's running configuration through the API server's node proxy (`kubectl get --raw
    // /api/v1/nodes/NODE/proxy/configz`); the authorizer checks get nodes/proxy first
    server
        .expect()
        .get()
        .withPath("/api/v1/nodes/" + NODE + "/proxy/configz")
        .andReply(
            new io.fabric8.mockwebserver.utils.ResponseProvider<Object>() {
              private io.fabric8.mockwebserver.http.Headers headers =
                  io.fabric8.mockwebserver.http.Headers.builder().build();

              @Override
              public int getStatusCode(io.fabric8.mockwebserver.http.RecordedRequest req) {
                return denied.contains("get nodes/proxy") ? 403 : 200;
              }

              @Override
              public Object getBody(io.fabric8.mockwebserver.http.RecordedRequest req) {
                return denied.contains("get nodes/proxy")
                    ? new io.fabric8.kubernetes.api.model.StatusBuilder()
                        .withStatus("Failure")
                        .withReason("Forbidden")
                        .withCode(403)
                        .withMessage(
                            "nodes \""
                                + NODE
                                + "\" is forbidden: User cannot get resource"
                                + " \"nodes/proxy\" in API group \"\" at the cluster scope")
                        .build()
                    : Map.of(
                        "kubeletconfig",
                        Map.of(
                            "kind",
                            "KubeletConfiguration",
                            "maxPods",
                            allocatablePods,
                            "allowedUnsafeSysctls",
                            List.copyOf(allowedUnsafeSysctls)));
              }

              @Override
              public io.fabric8.mockwebserver.http.Headers getHeaders() {
                return headers;
              }

              @Override
              public void setHeaders(io.fabric8.mockwebserver.http.Headers h) {
                headers = h;
              }
            })
        .always();
    // the API server's field selector on spec.nodeName (what the kubelet and `kubectl describe
    // node` list a node's pods by); the CRUD mock only selects on metadata fields
    server
        .expect()
        .get()
        .withPath("/api/v1/pods?fieldSelector=spec.nodeName%3D" + NODE)
        .andReply(
            200,
            req ->
                new io.fabric8.kubernetes.api.model.PodListBuilder()
                    .withItems(
                        podsOfOthers.stream()
                            .filter(p -> NODE.equals(p.getSpec().getNodeName()))
                            .toList())
                    .build())
        .always();
    kubeletClient
        .nodes()
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(NODE)
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .addToAllocatable("pods", new Quantity(Integer.toString(allocatablePods)))
                .addToCapacity("cpu", new Quantity("2"))
                .withNewNodeInfo()
                .withKernelVersion("6.18.0")
                .withKubeletVersion(KUBELET_VERSION)
                .withOsImage("Debian 12")
                .withArchitecture("amd64")
                .endNodeInfo()
                .endStatus()
                .build())
        .create();
    if (crd) {
      kubeletClient
          .apiextensions()
          .v1()
          .customResourceDefinitions()
          .resource(NadCrd.definition())
          .create();
    }
  }

  /**
   * Starts the fake kubelet: every new pod is scheduled, wired and Ready (or fails its sandbox).
   */
  public FakeCluster startKubelet() {
    watch =
        kubeletClient
            .pods()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod p) {
                    if (action == Action.DELETED) {
                      // the runtime stops the sandbox: CNI DEL, its namespace and veths go
                      whereabouts.release(p.getMetadata().getUid(), p.getMetadata().getName());
                      links.detach(p.getMetadata().getUid());
                    }
                    if (action != Action.ADDED) {
                      return;
                    }
                    String role = p.getMetadata().getLabels().get(KubeLabels.ROLE);
                    if (KubeLabels.ROLE_POD.equals(role)) {
                      kubelet.submit(() -> run(p));
                    } else if (KubeLabels.ROLE_RESTORE.equals(role)) {
                      kubelet.submit(() -> runHostNetwork(p));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    dsWatch =
        kubeletClient
            .apps()
            .daemonSets()
            .inAnyNamespace()
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, DaemonSet ds) {
                    if (action == Action.ADDED) {
                      kubelet.submit(() -> daemonSetController(ds));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
    return this;
  }

  /**
   * The DaemonSet controller: creates the DaemonSet's pod on the node, which the kubelet runs (host
   * network: no CNI); or, when admission refuses privileged pods, records what the real controller
   * records (pkg/controller/daemon: a Warning event "FailedCreate" on the DaemonSet with "Error
   * creating: " and the API server's refusal).
   */
  private void daemonSetController(DaemonSet ds) {
    String ns = ds.getMetadata().getNamespace();
    String podName = ds.getMetadata().getName() + "-x2v9q";
    String refusal = refusePrivileged.get();
    if (refusal != null) {
      kubeletClient
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  .withGenerateName(ds.getMetadata().getName() + ".")
                  .withNamespace(ns)
                  .endMetadata()
                  .withReason("FailedCreate")
                  .withType("Warning")
                  .withMessage("Error creating: pods \"" + podName + "\" is forbidden: " + refusal)
                  .withNewInvolvedObject()
                  .withKind("DaemonSet")
                  .withName(ds.getMetadata().getName())
                  .withNamespace(ns)
                  .endInvolvedObject()
                  .build())
          .create();
      return;
    }
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(podName)
            .withNamespace(ns)
            .withLabels(ds.getSpec().getTemplate().getMetadata().getLabels())
            .endMetadata()
            .withSpec(ds.getSpec().getTemplate().getSpec())
            .build();
    kubeletClient.pods().inNamespace(ns).resource(pod).create();
    runHostNetwork(pod);
  }

  private void run(Pod p) {
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    List<String> forbidden =
        new KubeletSysctls(allowedUnsafeSysctls)
            .forbidden(
                p.getSpec().getSecurityContext() == null
                    ? List.of()
                    : p.getSpec().getSecurityContext().getSysctls().stream()
                        .map(io.fabric8.kubernetes.api.model.Sysctl::getName)
                        .toList(),
                KUBELET_VERSION);
    if (!forbidden.isEmpty()) {
      refuse(ns, name, Fate.SYSCTL_FORBIDDEN, forbidden.get(0));
      return;
    }
    Fate fate = fates.get(name);
    if (fate != null && fate != Fate.SANDBOX_RETRY) {
      refuse(ns, name, fate, "net.ipv6.conf.default.accept_dad");
      return;
    }
    if (fate == Fate.SANDBOX_RETRY) {
      sandboxFailed(ns, name, "netlink: resource busy");
      try {
        Thread.sleep(1000); // the kubelet's retry
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    if (failSandbox.contains(name)) {
      sandboxFailed(
          ns, name, "failed to allocate for range 0: no IP addresses available in range set");
      return;
    }
    List<Map<String, Object>> status = new ArrayList<>();
    int n = nextIp.getAndIncrement();
    // what Multus writes (pkg/netutils, CreateNetworkStatus): "gateway" only from a default route
    // of the CNI result, so the cluster network has one (here Calico's IPv6 link-local gateway)
    // and the secondaries, whose plugins install no default route, have none
    status.add(
        Map.of(
            "name",
            "k8s-pod-network",
            "interface",
            "eth0",
            "ips",
            List.of("fd00:100::" + Integer.toHexString(n)),
            "default",
            true,
            "gateway",
            List.of("fe80::ecee:eeff:feee:eeee")));
    List<Map<String, Object>> nets =
        Serialization.unmarshal(
            p.getMetadata().getAnnotations().get(KubeLabels.NETWORKS), List.class);
    List<Map.Entry<String, String[]>> wiring = new ArrayList<>();
    wiring.add(Map.entry("eth0", new String[] {"calico", null}));
    int k = 1;
    for (Map<String, Object> net : nets) {
      Map<String, Object> config = nadConfig(ns, net);
      wiring.add(Map.entry((String) net.get("interface"), typeAndBridge(name, config)));
      // like Multus + static IPAM: the selection's ips are the interface's addresses
      @SuppressWarnings("unchecked")
      List<String> fixed = (List<String>) net.getOrDefault("ips", List.of());
      @SuppressWarnings("unchecked")
      Map<String, Object> ipam = (Map<String, Object>) config.getOrDefault("ipam", Map.of());
      if (fixed.isEmpty() && "whereabouts".equals(ipam.get("type"))) {
        whereabouts.allocate(
            (String) ipam.get("range"),
            n,
            p.getMetadata().getUid(),
            ns + "/" + name,
            (String) net.get("interface"));
      }
      status.add(
          Map.of(
              "name",
              ns + "/" + net.get("name"),
              "interface",
              net.get("interface"),
              "ips",
              fixed.isEmpty()
                  ? List.of("fd00:10:" + k + "::" + Integer.toHexString(n))
                  : fixed.stream().map(a -> a.substring(0, a.indexOf('/'))).toList()));
      k++;
    }
    links.attach(p.getMetadata().getUid(), wiring);
    kubeletClient
        .pods()
        .inNamespace(ns)
        .withName(name)
        .edit(
            x ->
                new PodBuilder(x)
                    .editSpec()
                    .withNodeName(NODE)
                    .endSpec()
                    .editMetadata()
                    .addToAnnotations(
                        noNetworkStatus.contains(name)
                            ? Map.of()
                            : Map.of(KubeLabels.NETWORK_STATUS, Serialization.asJson(status)))
                    .endMetadata()
                    .withNewStatus()
                    .withConditions(scheduledAndReady())
                    .endStatus()
                    .build());
  }

  /** The CNI config of the NAD a pod's network selection names. */
  @SuppressWarnings("unchecked")
  private Map<String, Object> nadConfig(String ns, Map<String, Object> selection) {
    var nad =
        kubeletClient
            .genericKubernetesResources(KubeLabels.NAD)
            .inNamespace(ns)
            .withName((String) selection.get("name"))
            .get();
    Map<String, Object> spec = (Map<String, Object>) nad.getAdditionalProperties().get("spec");
    return Serialization.unmarshal((String) spec.get("config"), Map.class);
  }

  /** A network's CNI type and, for a bridge, the bridge the pod's port goes to. */
  private String[] typeAndBridge(String pod, Map<String, Object> config) {
    String type = (String) config.get("type");
    String bridge = (String) config.getOrDefault("bridge", BridgePortFlap.DEFAULT_BRIDGE);
    return new String[] {
      type, "bridge".equals(type) ? (portOnOtherBridge.contains(pod) ? "br-old" : bridge) : null
    };
  }

  /**
   * The node-name requirements a pod is pinned by: its node affinity's first term's matchFields.
   */
  public static List<NodeSelectorRequirement> pinning(Pod p) {
    return p.getSpec()
        .getAffinity()
        .getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms()
        .get(0)
        .getMatchFields();
  }

  /** The conditions of a pod the scheduler placed and the kubelet started. */
  private static PodCondition[] scheduledAndReady() {
    return new PodCondition[] {
      new PodConditionBuilder().withType("PodScheduled").withStatus("True").build(),
      new PodConditionBuilder().withType("Ready").withStatus("True").build()
    };
  }

  /**
   * Writes the status the kubelet (admission) or the scheduler writes for a pod it will not run.
   */
  private void refuse(String ns, String name, Fate fate, String sysctl) {
    kubeletClient
        .pods()
        .inNamespace(ns)
        .withName(name)
        .edit(
            x -> {
              PodBuilder b = new PodBuilder(x);
              switch (fate) {
                case SYSCTL_FORBIDDEN ->
                    b.editSpec()
                        .withNodeName(NODE)
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Failed")
                        .withReason("SysctlForbidden")
                        // kubelet.rejectPod: "Pod was rejected: " + the allowlist's admit message
                        .withMessage(
                            "Pod was rejected: forbidden sysctl: \""
                                + sysctl
                                + "\" not allowlisted")
                        .endStatus();
                case OUT_OF_PODS ->
                    b.editSpec()
                        .withNodeName(NODE)
                        .endSpec()
                        .withNewStatus()
                        .withPhase("Failed")
                        .withReason("OutOfpods")
                        .withMessage(
                            "Pod was rejected: Node didn't have enough resource: pods, requested: 1,"
                                + " used: 110, capacity: 110")
                        .endStatus();
                default ->
                    b.withNewStatus()
                        .withPhase("Pending")
                        .withConditions(
                            new PodConditionBuilder()
                                .withType("PodScheduled")
                                .withStatus("False")
                                .withReason("Unschedulable")
                                .withMessage(
                                    "0/3 nodes are available: 1 node(s) had untolerated taint"
                                        + " {node.kubernetes.io/disk-pressure: }, 2 node(s) didn't"
                                        + " match Pod's node affinity/selector. preemption: 0/3 nodes"
                                        + " are available: 3 Preemption is not helpful for"
                                        + " scheduling.")
                                .build())
                        .endStatus();
              }
              return b.build();
            });
  }

  /**
   * The kubelet's event for a sandbox whose Multus ADD failed on network sat-a with {@code error}
   * (pkg/kubelet: FailedCreatePodSandBox, involvedObject carrying the pod's UID).
   */
  private void sandboxFailed(String ns, String name, String error) {
    kubeletClient
        .v1()
        .events()
        .inNamespace(ns)
        .resource(
            new EventBuilder()
                .withNewMetadata()
                .withGenerateName("sandbox-")
                .withNamespace(ns)
                .endMetadata()
                .withReason("FailedCreatePodSandBox")
                .withType("Warning")
                .withMessage(
                    "Failed to create pod sandbox: plugin type=\"multus\" failed (add): ["
                        + ns
                        + "/"
                        + name
                        + "/sat-a:macvlan]: error adding container to network \"sat-a\": "
                        + error)
                .withNewInvolvedObject()
                .withKind("Pod")
                .withName(name)
                .withNamespace(ns)
                .withUid(
                    kubeletClient
                        .pods()
                        .inNamespace(ns)
                        .withName(name)
                        .get()
                        .getMetadata()
                        .getUid())
                .endInvolvedObject()
                .build())
        .create();
  }

  /**
   * A hostNetwork pod (the restore pod): the kubelet runs it without calling any CNI plugin, so
   * Multus writes no network-status; it is scheduled and Ready.
   */
  private void runHostNetwork(Pod p) {
    kubeletClient
        .pods()
        .inNamespace(p.getMetadata().getNamespace())
        .withName(p.getMetadata().getName())
        .edit(
            x ->
                new PodBuilder(x)
                    .editSpec()
                    .withNodeName(NODE)
                    .endSpec()
                    .withNewStatus()
                    .withPhase("Running")
                    .withConditions(scheduledAndReady())
                    .endStatus()
                    .build());
  }

  /**
   * Writes a kubeconfig that reaches this fake API server (context "lab"), as an operator's reaches
   * theirs.
   */
  public java.nio.file.Path writeKubeconfig(java.nio.file.Path file) throws java.io.IOException {
    return java.nio.file.Files.writeString(
        file,
        String.join(
            "\n",
            "apiVersion: v1",
            "kind: Config",
            "clusters:",
            "- name: fake",
            "  cluster: {server: '" + client.getMasterUrl() + "', insecure-skip-tls-verify: true}",
            "users:",
            "- name: ops",
            "  user: {token: secret}",
            "contexts:",
            "- name: lab",
            "  context: {cluster: fake, user: ops}",
            "current-context: lab",
            ""));
  }

  /** The node's kernel as fixtures: the host's captured files, and per pod its addresses. */
  KubeNode node() {
    return new KubeNode() {
      @Override
      public void start() {}

      @Override
      public NodeShell host() {
        NodeShell files =
            TestScopes.host()
                .command(
                    "ip -j -d -s link", io.kdensity.probes.Fixtures.load("link/node-small.json"));
        return answering(
            files,
            c -> {
              if (c.program().equals("fping") && c.stdin() != null) {
                // the node's sweep of the pods' eth0 addresses: every one answers
                StringBuilder sb = new StringBuilder();
                for (String a : c.stdin().split("\n")) {
                  if (!a.isBlank()) {
                    sb.append(a).append(" is alive\n");
                  }
                }
                return new CommandResult(c.display(), 0, sb.toString(), "", Duration.ZERO);
              }
              return links.run(c);
            });
      }

      @Override
      public PodShells pods(List<Pod> pods) {
        // what PauseProcesses.SCRIPT prints on the node: a /pause process per sandbox, in its own
        // network namespace, except for pods whose sandbox a test took away
        StringBuilder ps = new StringBuilder();
        int pid = 1000;
        for (Pod p : pods) {
          pid++;
          if (!noSandbox.contains(p.getMetadata().getName())) {
            ps.append(p.getMetadata().getUid())
                .append(' ')
                .append(pid)
                .append(" net:[")
                .append(4026530000L + pid)
                .append("] net:[4026531840] sandbox\n");
          }
        }
        PauseProcesses pauses = PauseProcesses.parse(ps.toString());
        Map<String, NodeShell> out = new HashMap<>();
        Map<String, String> uninspected = new HashMap<>();
        for (Pod p : pods) {
          if (pauses.of(p.getMetadata().getUid()) instanceof PauseProcesses.Lookup.NotFound n) {
            uninspected.put(p.getMetadata().getName(), n.why());
            continue;
          }
          StringBuilder inet6 = new StringBuilder();
          for (var i : NetworkStatus.of(p).interfaces(PodInterface.UNKNOWN_TIME)) {
            for (String a : i.addresses()) {
              inet6.append(hex32(a)).append(" 02 40 00 80 ").append(i.ifname()).append('\n');
            }
          }
          String uid = p.getMetadata().getUid();
          FixtureShell files =
              new FixtureShell(p.getMetadata().getName())
                  .file("/proc/net/if_inet6", inet6.toString());
          out.put(
              p.getMetadata().getName(),
              answering(
                  files,
                  c -> {
                    if (c.argv().equals(List.of("ip", "-j", "link", "show", "type", "veth"))) {
                      return new CommandResult(
                          c.display(), 0, links.podVeths(uid), "", Duration.ZERO);
                    }
                    if (!c.program().equals("fping")) {
                      return null;
                    }
                    StringBuilder sb = new StringBuilder();
                    c.argv().stream()
                        .filter(a -> a.contains(":"))
                        .forEach(a -> sb.append(a).append(" is alive\n"));
                    return new CommandResult(c.display(), 0, sb.toString(), "", Duration.ZERO);
                  }));
        }
        return new PodShells(out, uninspected);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * A shell that answers the commands {@code commands} knows (null: not one of them) and serves
   * everything else, files included, from {@code files}.
   */
  private static NodeShell answering(
      NodeShell files, java.util.function.Function<Command, CommandResult> commands) {
    return new NodeShell() {
      public CommandResult run(Command c) {
        CommandResult r = commands.apply(c);
        return r != null ? r : files.run(c);
      }

      public String readFile(String path) {
        return files.readFile(path);
      }

      public void writeFile(String path, String content) {
        files.writeFile(path, content);
      }

      public String describe() {
        return files.describe();
      }
    };
  }

  static String hex32(String addr) {
    try {
      byte[] b = java.net.InetAddress.getByName(addr).getAddress();
      StringBuilder sb = new StringBuilder();
      for (byte x : b) {
        sb.append(String.format("%02x", x));
      }
      return sb.toString();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
  }

  @Override
  public void close() {
    if (watch != null) {
      watch.close();
    }
    if (dsWatch != null) {
      dsWatch.close();
    }
    kubelet.shutdownNow();
    kubeletClient.close();
    client.close();
    server.destroy();
  }
}
