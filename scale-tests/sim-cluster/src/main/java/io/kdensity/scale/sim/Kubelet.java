package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIPBuilder;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.local.EmbeddedNode;
import io.micrometer.core.instrument.Clock;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The simulated node's kubelet with its container runtime. For each pod bound to the node it admits
 * (maxPods: {@code OutOfpods}; sysctls: {@code SysctlForbidden}), creates the sandbox and lets
 * {@link Multus} attach its networks, then reports it Running and Ready; on a failed sandbox it
 * records {@code FailedCreatePodSandBox} with the thick plugin's words, removes what was made and
 * retries after the pod worker's back-off (10 s, jittered by half). A pod being deleted ({@code
 * deletionTimestamp}) is stopped — Multus DEL last interface first, the sandbox's namespace removed
 * and its links freed — and then deleted with grace 0, which is when its object goes. A pod removed
 * from the API without that (a forced delete) is stopped the same way.
 *
 * <p>hostNetwork pods (the probe DaemonSet's) run without a sandbox or CNI, in the node's network
 * namespace. As the {@link ContainerExec} it runs exec'd commands: in the node's network namespace
 * for hostNetwork pods, in the pod's otherwise, with this machine's programs as the image's (a
 * pause image has no programs: exec into it fails as it would).
 *
 * <p>Differs from a kubelet: no images, volumes, probes, restarts or PID namespaces (every process
 * is in the machine's PID namespace, like a hostPID pod); containers start at once.
 */
final class Kubelet implements ContainerExec, AutoCloseable {
  /** The pod worker's back-off after a failed sync (pkg/kubelet/pod_workers.go). */
  static final long BACKOFF_MILLIS = 10_000;

  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  /** Where a pod stands on this node. */
  enum State {
    NEW,
    STARTING,
    BACKOFF,
    RUNNING,
    REJECTED,
    GONE
  }

  /** One pod on the node. */
  static final class PodRun {
    volatile Pod pod;
    volatile State state = State.NEW;
    volatile boolean removedFromApi;
    volatile long retryAt;
    Sandbox sandbox;
    List<Multus.Attached> attached = List.of();
    final AtomicBoolean queued = new AtomicBoolean();

    PodRun(Pod pod) {
      this.pod = pod;
    }
  }

  private final KubernetesClient client;
  private final String nodeName;
  private final int maxPods;
  private final SysctlAllowlist sysctls;
  private final EmbeddedNode node;
  private final PodSandboxes sandboxes;
  private final Multus multus;
  private final EventRecorder events;
  private final Clock clock;
  private final Consumer<String> log;
  private final Map<String, PodRun> pods = new ConcurrentHashMap<>();
  private final ExecutorService workers;
  private final ScheduledExecutorService timers =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kd-sim-kubelet-timer"));
  private final SecureRandom random = new SecureRandom();
  private SharedIndexInformer<Pod> informer;
  private Process kubeletProcess;
  private volatile boolean closed;

  Kubelet(
      KubernetesClient client,
      String nodeName,
      int maxPods,
      SysctlAllowlist sysctls,
      EmbeddedNode node,
      PodSandboxes sandboxes,
      Multus multus,
      EventRecorder events,
      int parallelism,
      Clock clock,
      Consumer<String> log) {
    this.client = client;
    this.nodeName = nodeName;
    this.maxPods = maxPods;
    this.sysctls = sysctls;
    this.node = node;
    this.sandboxes = sandboxes;
    this.multus = multus;
    this.events = events;
    this.clock = clock;
    this.log = log;
    this.workers = Executors.newFixedThreadPool(parallelism, DaemonThreads.named("kd-sim-kubelet"));
  }

  /** Starts the kubelet's process and watching pods. */
  void start() {
    kubeletProcess = startProcess();
    informer =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod p) {
                    seen(p);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod p) {
                    seen(p);
                  }

                  @Override
                  public void onDelete(Pod p, boolean unknownFinalState) {
                    PodRun run = pods.get(p.getMetadata().getUid());
                    if (run != null) {
                      run.removedFromApi = true;
                      kick(run);
                    }
                  }
                },
                0);
  }

  /**
   * A process named {@code kubelet} in the machine's root network namespace, as a node's kubelet
   * is: node tools that cannot read PID 1 find the root namespace through it ({@code RootNamespace}
   * of the kube target). A link named kubelet to bash (a process's name is its program file's),
   * ending with the JVM: it checks every 2 s that it still lives.
   */
  private Process startProcess() {
    try {
      Path link = node.stateDir().resolve("kubelet");
      Files.deleteIfExists(link);
      Files.createSymbolicLink(link, resolve("bash"));
      return new ProcessBuilder(
              link.toString(),
              "-c",
              "while kill -0 \"$1\" 2>/dev/null; do sleep 2; done",
              "kubelet",
              Long.toString(ProcessHandle.current().pid()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.DISCARD)
          .start();
    } catch (IOException e) {
      throw new InfrastructureException("cannot start the kubelet's process: " + e.getMessage(), e);
    }
  }

  private void seen(Pod p) {
    if (closed || !nodeName.equals(p.getSpec().getNodeName())) {
      return;
    }
    PodRun run = pods.computeIfAbsent(p.getMetadata().getUid(), u -> new PodRun(p));
    run.pod = p;
    kick(run);
  }

  /** Queues one reconcile of the pod (a pod worker's sync), unless one is queued already. */
  private void kick(PodRun run) {
    if (closed || !run.queued.compareAndSet(false, true)) {
      return;
    }
    workers.execute(
        () -> {
          run.queued.set(false);
          try {
            reconcile(run);
          } catch (RuntimeException e) {
            log.accept("kubelet: pod " + name(run.pod) + ": " + e.getMessage());
          }
        });
  }

  private synchronized int activePods() {
    int n = 0;
    for (PodRun r : pods.values()) {
      if (r.state == State.STARTING || r.state == State.RUNNING || r.state == State.BACKOFF) {
        n++;
      }
    }
    return n;
  }

  private void reconcile(PodRun run) {
    synchronized (run) {
      Pod p = run.pod;
      if (run.state == State.GONE) {
        return;
      }
      if (run.removedFromApi || p.getMetadata().getDeletionTimestamp() != null) {
        stop(run);
        if (!run.removedFromApi) {
          try {
            client
                .pods()
                .inNamespace(p.getMetadata().getNamespace())
                .withName(p.getMetadata().getName())
                .withGracePeriod(0)
                .delete();
          } catch (KubernetesClientException e) {
            // already gone
          }
        }
        run.state = State.GONE;
        // late events of a gone pod must not bring it back; forget it after a while
        timers.schedule(() -> pods.remove(p.getMetadata().getUid()), 5, TimeUnit.MINUTES);
        return;
      }
      switch (run.state) {
        case NEW -> admitAndStart(run);
        case BACKOFF -> {
          if (clock.wallTime() >= run.retryAt) {
            start(run);
          }
        }
        default -> {}
      }
    }
  }

  private void admitAndStart(PodRun run) {
    Pod p = run.pod;
    if (p.getStatus() != null && "Failed".equals(p.getStatus().getPhase())) {
      run.state = State.REJECTED;
      return;
    }
    int active = activePods();
    if (active >= maxPods) {
      reject(
          run,
          "OutOfpods",
          "Node didn't have enough resource: pods, requested: 1, used: "
              + active
              + ", capacity: "
              + maxPods);
      return;
    }
    List<String> keys =
        p.getSpec().getSecurityContext() == null
                || p.getSpec().getSecurityContext().getSysctls() == null
            ? List.of()
            : p.getSpec().getSecurityContext().getSysctls().stream().map(Sysctl::getName).toList();
    String forbidden = sysctls.firstForbidden(keys);
    if (forbidden != null) {
      reject(run, "SysctlForbidden", "forbidden sysctl: \"" + forbidden + "\" not allowlisted");
      return;
    }
    start(run);
  }

  /** kubelet.rejectPod: an event and a Failed status with the reason. */
  private void reject(PodRun run, String reason, String message) {
    run.state = State.REJECTED;
    Pod p = run.pod;
    events.record(p, "Warning", reason, message);
    String full = "Pod was rejected: " + message;
    edit(
        p,
        x ->
            new PodBuilder(x)
                .withNewStatus()
                .withPhase("Failed")
                .withReason(reason)
                .withMessage(full)
                .withConditions(conditions(x, false))
                .endStatus()
                .build());
  }

  private void start(PodRun run) {
    run.state = State.STARTING;
    Pod p = run.pod;
    if (Boolean.TRUE.equals(p.getSpec().getHostNetwork())) {
      running(run, List.of());
      return;
    }
    Map<String, String> podSysctls = new LinkedHashMap<>();
    if (p.getSpec().getSecurityContext() != null
        && p.getSpec().getSecurityContext().getSysctls() != null) {
      p.getSpec()
          .getSecurityContext()
          .getSysctls()
          .forEach(s -> podSysctls.put(s.getName(), s.getValue()));
    }
    Sandbox sb;
    try {
      sb = sandboxes.create(p.getMetadata().getUid(), podSysctls);
    } catch (InfrastructureException e) {
      sandboxFailed(run, "failed to create containerd task: " + e.getMessage(), null);
      return;
    }
    List<Multus.Attached> attached;
    try {
      attached = multus.add(p, sb);
    } catch (MultusException e) {
      sandboxFailed(
          run,
          "failed to setup network for sandbox \""
              + sb.id()
              + "\": plugin type=\"multus-shim\" name=\"multus-cni-network\" failed (add): CmdAdd"
              + " (shim): CNI request failed with status 400: 'ContainerID:\""
              + sb.id()
              + "\" Netns:\""
              + sb.netnsPath()
              + "\" IfName:\"eth0\" ERRORED: error configuring pod ["
              + p.getMetadata().getNamespace()
              + "/"
              + p.getMetadata().getName()
              + "] networking: "
              + e.getMessage()
              + "\n'",
          sb);
      return;
    }
    run.sandbox = sb;
    run.attached = attached;
    try {
      multus.writeStatus(p, attached);
    } catch (KubernetesClientException e) {
      // the pod went meanwhile: the next event stops it
    }
    running(run, attached);
  }

  /** A failed RunPodSandbox: the event, the sandbox removed, a retry after the back-off. */
  private void sandboxFailed(PodRun run, String why, Sandbox sb) {
    if (sb != null) {
      sandboxes.remove(sb, Set.of());
    }
    events.record(
        run.pod,
        "Warning",
        "FailedCreatePodSandBox",
        "Failed to create pod sandbox: rpc error: code = Unknown desc = " + why);
    run.state = State.BACKOFF;
    long delay = BACKOFF_MILLIS + (long) (random.nextDouble() * BACKOFF_MILLIS / 2);
    run.retryAt = clock.wallTime() + delay;
    timers.schedule(() -> kick(run), delay, TimeUnit.MILLISECONDS);
  }

  /** Containers started: the events, then Running and Ready with the pod's IPs. */
  private void running(PodRun run, List<Multus.Attached> attached) {
    run.state = State.RUNNING;
    Pod p = run.pod;
    for (Container c : p.getSpec().getContainers()) {
      events.record(
          p,
          "Normal",
          "Pulled",
          "Container image \"" + c.getImage() + "\" already present on machine");
      events.record(p, "Normal", "Created", "Created container " + c.getName());
      events.record(p, "Normal", "Started", "Started container " + c.getName());
    }
    List<String> ips = new ArrayList<>();
    for (Multus.Attached a : attached) {
      if (a.isDefault()) {
        a.result().addresses().forEach(x -> ips.add(Addresses.canonical(x)));
      }
    }
    String started = GracefulDeletion.timestamp(clock.wallTime());
    edit(
        p,
        x -> {
          var status =
              new PodBuilder(x)
                  .withNewStatus()
                  .withPhase("Running")
                  .withStartTime(started)
                  .withConditions(conditions(x, true))
                  .withContainerStatuses(
                      x.getSpec().getContainers().stream()
                          .map(
                              c ->
                                  new ContainerStatusBuilder()
                                      .withName(c.getName())
                                      .withImage(c.getImage())
                                      .withReady(true)
                                      .withStarted(true)
                                      .withRestartCount(0)
                                      .withContainerID("containerd://" + containerId())
                                      .withNewState()
                                      .withNewRunning(started)
                                      .endState()
                                      .build())
                          .toList());
          if (!ips.isEmpty()) {
            status
                .withPodIP(ips.get(0))
                .withPodIPs(ips.stream().map(i -> new PodIPBuilder().withIp(i).build()).toList());
          }
          return status.endStatus().build();
        });
  }

  private String containerId() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The pod's conditions with PodScheduled kept and the kubelet's set. */
  private static List<PodCondition> conditions(Pod x, boolean ready) {
    List<PodCondition> out = new ArrayList<>();
    if (x.getStatus() != null && x.getStatus().getConditions() != null) {
      x.getStatus().getConditions().stream()
          .filter(c -> "PodScheduled".equals(c.getType()))
          .forEach(out::add);
    }
    if (ready) {
      for (String t :
          List.of("PodReadyToStartContainers", "Initialized", "ContainersReady", "Ready")) {
        out.add(new PodConditionBuilder().withType(t).withStatus("True").build());
      }
    }
    return out;
  }

  /** Stops a pod: Multus DEL, sandbox removed, node links freed. */
  private void stop(PodRun run) {
    if (run.sandbox == null) {
      return;
    }
    multus.del(run.pod, run.sandbox, run.attached);
    Set<String> links = new HashSet<>();
    run.attached.forEach(a -> links.addAll(a.nodeLinks()));
    sandboxes.remove(run.sandbox, links);
    run.sandbox = null;
    run.attached = List.of();
  }

  private void edit(Pod p, java.util.function.UnaryOperator<Pod> change) {
    try {
      client
          .pods()
          .inNamespace(p.getMetadata().getNamespace())
          .withName(p.getMetadata().getName())
          .edit(change);
    } catch (KubernetesClientException e) {
      // the pod went meanwhile: its delete event comes next
    }
  }

  private static String name(Pod p) {
    return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
  }

  @Override
  public String notRunning(Pod pod, String container) {
    PodRun run = pods.get(pod.getMetadata().getUid());
    if (run == null || run.state != State.RUNNING) {
      return "container not found (\"" + container + "\")";
    }
    return null;
  }

  @Override
  public Start exec(Pod pod, String container, List<String> argv, boolean stdin) {
    PodRun run = pods.get(pod.getMetadata().getUid());
    if (run == null || run.state != State.RUNNING) {
      return new Start.Refused("container not found (\"" + container + "\")");
    }
    String execId = containerId();
    String image =
        pod.getSpec().getContainers().stream()
            .filter(c -> c.getName().equals(container))
            .map(Container::getImage)
            .findFirst()
            .orElse("");
    String program = argv.get(0);
    boolean pauseImage = image.contains("/pause:") || image.startsWith("pause:");
    if ((pauseImage && !program.equals("/pause")) || resolve(program) == null) {
      return new Start.Refused(ExecProtocol.executableNotFound(execId, program));
    }
    List<String> full = new ArrayList<>();
    if (Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
      full.addAll(List.of("nsenter", "--net=" + node.node().path(), "--"));
    } else {
      full.addAll(List.of("nsenter", "-t", Long.toString(run.sandbox.pause().pid()), "-n", "--"));
    }
    full.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(full).directory(new File("/"));
    pb.environment().clear();
    pb.environment().put("PATH", PATH);
    pb.environment().put("HOME", "/root");
    pb.environment().put("HOSTNAME", pod.getMetadata().getName());
    if (!stdin) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    try {
      return new Start.Started(pb.start());
    } catch (IOException e) {
      return new Start.Refused(ExecProtocol.executableNotFound(execId, "nsenter"));
    }
  }

  /** The program as a container's PATH lookup finds it, or null. */
  static Path resolve(String program) {
    if (program.contains("/")) {
      Path p = Path.of(program);
      return Files.isExecutable(p) ? p : null;
    }
    for (String dir : PATH.split(":")) {
      Path p = Path.of(dir, program);
      if (Files.isExecutable(p) && !Files.isDirectory(p)) {
        return p;
      }
    }
    return null;
  }

  /** Pods the node holds (for tests and the close). */
  int runningPods() {
    return (int) pods.values().stream().filter(r -> r.state == State.RUNNING).count();
  }

  /** Stops every pod (as a node drained at shutdown would), then the workers. */
  @Override
  public void close() {
    closed = true;
    if (informer != null) {
      informer.close();
    }
    workers.shutdown();
    try {
      workers.awaitTermination(2, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (PodRun r : pods.values()) {
      synchronized (r) {
        try {
          stop(r);
        } catch (RuntimeException e) {
          // the node's cleanup removes what is left
        }
      }
    }
    timers.shutdownNow();
    if (kubeletProcess != null) {
      kubeletProcess.descendants().forEach(ProcessHandle::destroyForcibly);
      kubeletProcess.destroyForcibly();
    }
  }
}
