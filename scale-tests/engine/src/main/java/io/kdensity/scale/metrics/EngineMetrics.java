package io.kdensity.scale.metrics;

import io.kdensity.config.run.CniPlugin;
import io.kdensity.config.run.IpamPlugin;
import io.kdensity.probes.probe.Metric;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The metrics the step engine emits for every step, next to the probes': attach and pod-ready
 * latencies and the attach's stages (milliseconds, from the target's histograms), the pods and
 * interfaces the node held, failed attachments, and whether the kernel was busy freeing namespaces.
 */
public final class EngineMetrics {
  private EngineMetrics() {}

  /** One latency's quantiles: {@code <prefix>.p50|p90|p99|max}. */
  public record Latency(Metric p50, Metric p90, Metric p99, Metric max) {
    static Latency of(String prefix, String what) {
      return new Latency(
          ms(prefix + ".p50", what + ", median"),
          ms(prefix + ".p90", what + ", 90th percentile"),
          ms(prefix + ".p99", what + ", 99th percentile"),
          ms(prefix + ".max", what + ", maximum"));
    }

    public List<Metric> all() {
      return List.of(p50, p90, p99, max);
    }

    private static Metric ms(String name, String description) {
      return new Metric(name, Metric.Unit.MILLISECONDS, description);
    }
  }

  /** Attach latency of one interface (a CNI ADD; on a cluster, scheduled → network-status). */
  public static final Latency ATTACH = Latency.of("attach", "attach latency per interface");

  /** Pod ready latency (all interfaces attached; on a cluster, created → Ready). */
  public static final Latency READY = Latency.of("ready", "pod ready latency");

  /**
   * The pod sandbox stage of an attach, per pod: its network namespace's anchor process started
   * with the pod's sysctls (the pause container's part); the namespaces themselves are made in one
   * batch before. Local target only: a cluster does not show it.
   */
  public static final Latency STAGE_SANDBOX =
      Latency.of("attach.stage.sandbox", "pod sandbox stage (namespace anchor) per pod");

  /**
   * On a cluster, per pod: from scheduled to Multus' first {@code AddedInterface} event — the
   * kubelet's sandbox, the runtime, Multus and the first ADD, which the API shows as one stage.
   */
  public static final Latency STAGE_FIRST_INTERFACE =
      Latency.of(
          "attach.stage.first_interface",
          "cluster: scheduled to Multus' first AddedInterface event (sandbox, Multus, first ADD)"
              + " per pod");

  /**
   * On a cluster, per pod: from Multus' last {@code AddedInterface} event to the network-status
   * annotation it writes when every delegate is done.
   */
  public static final Latency STAGE_NETWORK_STATUS =
      Latency.of(
          "attach.stage.network_status",
          "cluster: Multus' last AddedInterface event to the pod's network-status, per pod");

  /**
   * The CNI ADD stage per interface, by the plugin that made it: its IPAM plugin and its wait for
   * the interface's IPv6 addresses to leave DAD included. Local target in CNI mode; on a cluster
   * the gap between Multus' AddedInterface events of an interface and the one before it (the first
   * interface's ADD is in {@link #STAGE_FIRST_INTERFACE}).
   */
  public static final Map<CniPlugin, Latency> STAGE_ADD =
      perPlugin(
          CniPlugin.class,
          p -> "attach.stage.add." + p.metricName(),
          p -> "CNI ADD by the " + p.type() + " plugin per interface");

  /**
   * The IPAM plugin's run inside an interface's ADD, by IPAM plugin: from its start (the plugin
   * execs it once its link is made) to its exit, its address allocated (host-local: the lock, the
   * scan of the leases, the lease file). Part of {@link #STAGE_ADD}, not a stage after it. Local
   * target in CNI mode.
   */
  public static final Map<IpamPlugin, Latency> STAGE_IPAM =
      perPlugin(
          IpamPlugin.class,
          p -> "attach.stage.ipam." + p.metricName(),
          p -> "the " + p.type() + " IPAM plugin's run inside an ADD, per interface");

  /** A latency family per plugin of an enum, by its metric name and description. */
  private static <P extends Enum<P>> Map<P, Latency> perPlugin(
      Class<P> plugins, Function<P, String> name, Function<P, String> description) {
    Map<P, Latency> m = new EnumMap<>(plugins);
    for (P p : plugins.getEnumConstants()) {
      m.put(p, Latency.of(name.apply(p), description.apply(p)));
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * IPv6 duplicate address detection per pod address, from the kernel's notification that the
   * address is tentative to the one that it is valid, whether the ADD waited for it or not. Local
   * target only.
   */
  public static final Latency STAGE_DAD =
      Latency.of("attach.stage.dad", "IPv6 DAD per pod address (tentative → valid)");

  /**
   * Per IPv6 pod address, how long after its interface's ADD returned the address left DAD: 0 when
   * the plugin waited for it (the reference plugins do when the IPAM result has an IPv6 gateway),
   * DAD's remainder when it returned before (static addresses without a gateway). Until then the
   * pod cannot send from the address. Local target only.
   */
  public static final Latency STAGE_USABLE =
      Latency.of(
          "attach.stage.usable_after_add",
          "wait from the ADD's return until the pod address left DAD, per IPv6 address");

  /**
   * Per new pod address, from the first echo request its gateway sent it in the step's first sweep
   * to the first answer: the gateway's first neighbour resolution of the address is inside it (the
   * request waits in the new entry's queue until the pod advertises itself), and a lost request
   * adds the sweep's retry timeout. Local target only.
   */
  public static final Latency STAGE_FIRST_ANSWER =
      Latency.of(
          "attach.stage.first_answer",
          "first echo request to a new pod address from its gateway → its first answer"
              + " (neighbour resolution inside)");

  /**
   * Per new pod address, inside {@link #STAGE_FIRST_ANSWER}: from the first request to the kernel's
   * notice that the gateway's neighbour entry for the address is reachable. Local target only.
   */
  public static final Latency STAGE_NEIGHBOUR =
      Latency.of(
          "attach.stage.neigh_resolve",
          "the gateway's first neighbour resolution of a new pod address, inside the wait for"
              + " its first answer");

  /**
   * Every stage of an attach by the name a person reads ("pod sandbox", "CNI ADD by macvlan"), the
   * sandbox first, then the plugins in {@link CniPlugin}'s order: what the attach and ready
   * latencies are made of.
   */
  public static final Map<String, Latency> STAGES = stages();

  private static Map<String, Latency> stages() {
    Map<String, Latency> m = new LinkedHashMap<>();
    m.put("pod sandbox", STAGE_SANDBOX);
    m.put("scheduled to the first interface", STAGE_FIRST_INTERFACE);
    STAGE_ADD.forEach((p, l) -> m.put("CNI ADD by " + p.type(), l));
    m.put("last interface to network-status", STAGE_NETWORK_STATUS);
    return Collections.unmodifiableMap(m);
  }

  /**
   * The attach's stages and what follows it until the pod's first packet: {@link #STAGES}, then the
   * wait for DAD after the ADD, then the first answered echo. The attach stage chart stacks these.
   */
  public static final Map<String, Latency> TO_FIRST_ANSWER = toFirstAnswer();

  private static Map<String, Latency> toFirstAnswer() {
    Map<String, Latency> m = new LinkedHashMap<>(STAGES);
    m.put("DAD after the ADD", STAGE_USABLE);
    m.put("first echo answered (neighbour resolution inside)", STAGE_FIRST_ANSWER);
    return Collections.unmodifiableMap(m);
  }

  public static final Metric ATTACH_FAILED =
      Metric.count("attach.failed", "attach failure findings of the step (one per network)");
  public static final Metric PODS = Metric.count("pods", "pods the node held");
  public static final Metric INTERFACES =
      Metric.count("interfaces", "pod interfaces (eth0 included) attached on the node");

  /**
   * Pods the target could not look into (on a cluster: no pause process of theirs in a network
   * namespace of its own); their addresses were neither checked nor pinged.
   */
  public static final Metric PODS_UNINSPECTED =
      Metric.count("pods.uninspected", "pods whose network namespace could not be inspected");

  /**
   * At how many of the step's four measuring phases the kernel was still freeing deleted network
   * namespaces; above 0, the step's timings include the kernel's cleanup holding the rtnl lock.
   */
  public static final Metric KERNEL_NETNS_CLEANUP_BUSY =
      Metric.count(
          "kernel.netns_cleanup_busy",
          "measuring phases that overlapped the kernel's netns cleanup");

  /**
   * Interfaces attached per second of the step's scale phase (the pods' whole change: namespaces,
   * anchors, every ADD).
   */
  public static final Metric ATTACH_RATE =
      new Metric("attach.rate", Metric.Unit.PER_SECOND, "interfaces attached per second");

  /**
   * CPU (user + system) of the processes that attached the step's interfaces — the CNI plugins and
   * their IPAM plugins, or the {@code ip} batches of the netlink mode — per interface; only where
   * they run as kdensity's children (the local target), from their rusage as they are reaped.
   */
  public static final Metric ATTACH_CPU_PER_INTERFACE =
      new Metric(
          "attach.cpu_per_interface",
          Metric.Unit.MILLISECONDS,
          "CPU of the attaching processes per interface");

  /**
   * The physical limit of {@link #ATTACH_RATE}: the cores divided by the CPU per interface — the
   * rate if every core did nothing but attach.
   */
  public static final Metric ATTACH_RATE_LIMIT =
      new Metric(
          "attach.rate_limit",
          Metric.Unit.PER_SECOND,
          "cores ÷ CPU per interface: the attach rate the CPU allows");

  /**
   * {@link #ATTACH_RATE} as a share of {@link #ATTACH_RATE_LIMIT} — which is also the attaching
   * processes' share of the cores' time while scaling.
   */
  public static final Metric ATTACH_EFFICIENCY =
      new Metric("attach.efficiency", Metric.Unit.RATIO, "attach rate ÷ its CPU limit");

  /** kdensity's own share (its JVM's threads) of the cores' time while scaling. */
  public static final Metric ATTACH_HARNESS_SHARE =
      new Metric(
          "attach.harness_share", Metric.Unit.RATIO, "kdensity's share of the cores while scaling");

  /**
   * The share of the cores' time the machine was idle while scaling. What is left after this,
   * {@link #ATTACH_EFFICIENCY} and {@link #ATTACH_HARNESS_SHARE} went to the kernel's own threads
   * (deferred netdev and namespace work) and to other processes.
   */
  public static final Metric ATTACH_IDLE_SHARE =
      new Metric("attach.idle_share", Metric.Unit.RATIO, "idle share of the cores while scaling");

  /**
   * CPU kdensity itself spent in the step: the JVM's threads in every phase, and the processes it
   * ran to settle and probe (not the attaching processes, not the traffic agents).
   */
  public static final Metric HARNESS_CPU =
      new Metric("harness.cpu", Metric.Unit.SECONDS, "CPU kdensity itself spent in the step");

  /**
   * How long a steady-state ramp held the step with its traffic before measuring it again: 0 when
   * it passed at once.
   */
  public static final Metric STEADY_HELD =
      new Metric(
          "steady.held",
          Metric.Unit.SECONDS,
          "time a steady-state ramp held the step with its traffic after it failed at once, before"
              + " the measurement that decides it (0: passed at once)");

  /** Neighbour entries refused while the step's pods came up, before its first probe. */
  public static final Metric BRINGUP_TABLE_FULLS =
      Metric.count(
          "bringup.neigh.table_fulls",
          "neighbour entries (IPv6 and IPv4) the node refused while the step's pods came up and"
              + " settled, between the previous step's last probe and this step's first");

  /** Packets the input backlogs dropped while the step's pods came up, before its first probe. */
  public static final Metric BRINGUP_SOFTNET_DROPPED =
      Metric.count(
          "bringup.softnet.dropped",
          "packets the CPUs' input backlogs dropped while the step's pods came up and settled,"
              + " between the previous step's last probe and this step's first");

  /** Every metric of the engine. */
  public static List<Metric> all() {
    List<Metric> all = new ArrayList<>(ATTACH.all());
    all.addAll(READY.all());
    TO_FIRST_ANSWER.values().forEach(l -> all.addAll(l.all()));
    STAGE_IPAM.values().forEach(l -> all.addAll(l.all()));
    all.addAll(STAGE_DAD.all());
    all.addAll(STAGE_NEIGHBOUR.all());
    all.addAll(
        List.of(
            ATTACH_FAILED,
            PODS,
            PODS_UNINSPECTED,
            INTERFACES,
            KERNEL_NETNS_CLEANUP_BUSY,
            ATTACH_RATE,
            ATTACH_CPU_PER_INTERFACE,
            ATTACH_RATE_LIMIT,
            ATTACH_EFFICIENCY,
            ATTACH_HARNESS_SHARE,
            ATTACH_IDLE_SHARE,
            HARNESS_CPU,
            BRINGUP_TABLE_FULLS,
            BRINGUP_SOFTNET_DROPPED,
            STEADY_HELD));
    for (NodeCondition c : NodeCondition.values()) {
      all.add(c.metric());
    }
    return all;
  }

  /** Whether a metric is one of the latency quantiles (an SLO on it is an ATTACH_SLOW rule). */
  public static boolean isLatency(String name) {
    List<Latency> latencies = new ArrayList<>(List.of(ATTACH, READY));
    latencies.addAll(STAGES.values());
    return latencies.stream().flatMap(l -> l.all().stream()).anyMatch(m -> m.name().equals(name));
  }
}
