package io.kdensity.probes.cpu;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.parse.Counters;
import io.kdensity.probes.parse.Text;
import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.probe.MetricValues;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.probe.SoftirqClock;
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.sysctl.Sysctl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * CPU spent on packets. Per-CPU softnet deltas show backlog drops ({@code SOFTNET_DROPS}, raise
 * {@code netdev_max_backlog}) and budget exhaustion ({@code SOFTNET_TIME_SQUEEZE}, raise {@code
 * netdev_budget}/{@code _usecs} or spread with RPS). The NET_RX and NET_TX softirqs' traced run
 * time ({@link SoftirqClock}) times the CPUs' clock gives the cycles spent on packets, published
 * two ways: per hop (each pass through the receive path, softnet's {@code processed}: a macvlan
 * datagram counts twice, a bridged or routed packet once per hop) and per packet delivered to a
 * local protocol ({@link DeliveredPackets}). The clock is the one {@code /proc/cpuinfo} reports at
 * the step's two probes ({@link CpuClock}), not the CPU's maximum. Without a trace, or with one
 * that lost events, there is no such figure: {@code /proc/stat}'s softirq time counts every vector
 * (timers, RCU…) and is tick-sampled. The numerator is softirq time only: transmit work done in a
 * sending process with bottom halves off is not in it, and NET_TX's (qdisc, completions) is.
 */
public final class PacketCpuProbe implements Probe<PacketCpuProbe.Snapshot> {

  public static final Metric PROCESSED =
      Metric.count("softnet.processed", "packets processed by NET_RX in the step, all CPUs");
  public static final Metric DROPPED =
      Metric.count("softnet.dropped", "packets dropped on full input backlogs in the step");
  public static final Metric TIME_SQUEEZE =
      Metric.count("softnet.time_squeeze", "NET_RX runs that ended with packets left");
  public static final Metric RECEIVED_RPS =
      Metric.count(
          "softnet.received_rps",
          "times RPS woke a CPU to drain packets other CPUs steered to its backlog (IPIs), all CPUs");
  public static final Metric NET_RX =
      Metric.count("softirq.net_rx", "NET_RX softirq runs, all CPUs (/proc/softirqs)");
  public static final Metric NET_TX =
      Metric.count("softirq.net_tx", "NET_TX softirq runs, all CPUs (/proc/softirqs)");
  public static final Metric CPU_SECONDS =
      new Metric("softirq.cpu_seconds", Metric.Unit.SECONDS, "CPU time in softirq, all vectors");
  public static final Metric CPU_SHARE =
      new Metric("softirq.cpu_share", Metric.Unit.RATIO, "share of CPU time in softirq");
  public static final Metric NET_SECONDS =
      new Metric(
          "softirq.net_seconds",
          Metric.Unit.SECONDS,
          "CPU time in the NET_RX and NET_TX softirqs (traced), all CPUs");
  public static final Metric NET_RUNS_TRACED =
      Metric.count(
          "softirq.net_runs_traced",
          "NET_RX/NET_TX runs the trace timed; equals softirq.net_rx + softirq.net_tx when the trace saw every run");
  public static final Metric CYCLES_PER_HOP =
      new Metric(
          "softirq.cycles_per_hop",
          Metric.Unit.CYCLES,
          "NET_RX/NET_TX softirq cycles per pass through the receive path (softnet processed: a macvlan datagram twice, a bridged or routed packet once per hop)");
  public static final Metric CYCLES_PER_DELIVERED =
      new Metric(
          "softirq.cycles_per_delivered",
          Metric.Unit.CYCLES,
          "NET_RX/NET_TX softirq cycles per packet delivered to a local protocol (packets.delivered)");
  public static final Metric DELIVERED =
      Metric.count(
          "packets.delivered",
          "packets delivered to a local protocol (ICMP, ICMPv6 with neighbour discovery, UDP, TCP) in the step: Ip/Ip6 InDelivers of the node, the run's pods and the emulated outside");
  public static final Metric CLOCK_MHZ =
      new Metric(
          "softirq.clock_mhz",
          Metric.Unit.MEGAHERTZ,
          "the CPU clock the cycle figures use: /proc/cpuinfo's cpu MHz averaged over the CPUs and the step's two probes (else the CPU's maximum)");
  public static final Metric NETDEV_BUDGET =
      Metric.count("softnet.netdev_budget", "net.core.netdev_budget in force");
  public static final Metric NETDEV_BUDGET_USECS =
      new Metric(
          "softnet.netdev_budget_usecs",
          Metric.Unit.MICROSECONDS,
          "net.core.netdev_budget_usecs in force");
  public static final Metric NETDEV_MAX_BACKLOG =
      Metric.count("softnet.netdev_max_backlog", "net.core.netdev_max_backlog in force");

  /** The settings that bound NET_RX work, read with the counters. */
  static final List<String> LIMITS =
      List.of(
          "net.core.netdev_budget", "net.core.netdev_budget_usecs", "net.core.netdev_max_backlog");

  static final String SOFTNET = "/proc/net/softnet_stat";
  static final String SOFTIRQS = "/proc/softirqs";
  static final String STAT = "/proc/stat";
  static final String CPUINFO = "/proc/cpuinfo";

  /** USER_HZ: /proc/stat counts in 1/100 s on every mainstream architecture. */
  static final int USER_HZ = 100;

  /**
   * @param maxDrops backlog drops tolerated per step
   * @param maxTimeSqueeze time squeezes tolerated per step
   */
  public record Thresholds(long maxDrops, long maxTimeSqueeze) {
    public static final Thresholds DEFAULT = new Thresholds(0, 0);
  }

  /**
   * @param limits {@link #LIMITS} key → value; a key the kernel lacks is absent
   * @param clockMhz the CPUs' mean clock /proc/cpuinfo reported, 0 if it reports none
   * @param delivered packets delivered to local protocols so far, by namespace ({@link
   *     DeliveredPackets})
   */
  public record Snapshot(
      List<SoftnetCpu> softnet,
      long netRx,
      long netTx,
      CpuTimes cpu,
      Map<String, Long> limits,
      SoftirqClock.Reading net,
      double clockMhz,
      DeliveredPackets.Reading delivered) {
    public Snapshot {
      softnet = List.copyOf(softnet);
      limits = Map.copyOf(limits);
    }

    long sum(ToLongFunction<SoftnetCpu> f) {
      return softnet.stream().mapToLong(f).sum();
    }
  }

  private final Thresholds thresholds;

  public PacketCpuProbe(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  /** The probe's name, the key of its snapshots in a sweep. */
  public static final String NAME = "packet-cpu";

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Packets the CPUs' input backlogs dropped between two snapshots taken in different steps: the
   * previous step's last probe and this step's first, so while this step's pods came up and settled
   * — when the timer-batched floods of new interfaces (DAD, MLD reports, router solicitations) fill
   * a bridge node's backlog, which a step's own before/after never sees. 0 where a snapshot is
   * missing.
   */
  public static long droppedBetween(Object earlier, Object later) {
    if (!(earlier instanceof Snapshot b) || !(later instanceof Snapshot a)) {
      return 0;
    }
    return delta(b, a, SoftnetCpu::dropped);
  }

  @Override
  public List<Metric> metrics() {
    return List.of(
        PROCESSED,
        DROPPED,
        TIME_SQUEEZE,
        RECEIVED_RPS,
        NET_RX,
        NET_TX,
        CPU_SECONDS,
        CPU_SHARE,
        NET_SECONDS,
        NET_RUNS_TRACED,
        CYCLES_PER_HOP,
        CYCLES_PER_DELIVERED,
        DELIVERED,
        CLOCK_MHZ,
        NETDEV_BUDGET,
        NETDEV_BUDGET_USECS,
        NETDEV_MAX_BACKLOG);
  }

  @Override
  public Snapshot snapshot(ProbeContext ctx) {
    List<String> paths = new ArrayList<>(List.of(SOFTNET, SOFTIRQS, STAT, CPUINFO));
    LIMITS.forEach(k -> paths.add(new Sysctl(k).path()));
    Map<String, FileRead> r = ctx.scope().host().readFiles(paths);
    Softirqs si = SoftirqsParser.parse(r.get(SOFTIRQS).require(), SOFTIRQS);
    Map<String, Long> limits = new LinkedHashMap<>();
    for (String k : LIMITS) {
      String path = new Sysctl(k).path();
      FileRead f = r.get(path);
      if (f.isOk()) {
        limits.put(k, Text.firstDecimal(f.content(), path));
      }
    }
    return new Snapshot(
        SoftnetStatParser.parse(r.get(SOFTNET).require(), SOFTNET),
        si.total("NET_RX"),
        si.total("NET_TX"),
        ProcStatParser.parse(r.get(STAT).require(), STAT).get(0),
        limits,
        // the packet softirqs' time since the previous snapshot: the "after" reading covers the
        // step's measured window exactly
        ctx.scope().softirq().available() ? ctx.scope().softirq().read() : null,
        r.get(CPUINFO).isOk() ? CpuClock.meanMhz(r.get(CPUINFO).content()) : 0,
        DeliveredPackets.read(ctx.scope()));
  }

  @Override
  public ProbeResult evaluate(Snapshot b, Snapshot a, ProbeContext ctx) {
    long processed = delta(b, a, SoftnetCpu::processed);
    long dropped = delta(b, a, SoftnetCpu::dropped);
    long squeeze = delta(b, a, SoftnetCpu::timeSqueeze);
    long softirqTicks = a.cpu().softirq() - b.cpu().softirq();
    long totalTicks = Math.max(1, a.cpu().total() - b.cpu().total());
    double softirqSeconds = (double) softirqTicks / USER_HZ;
    MetricValues m = new MetricValues();
    List<String> notes = new ArrayList<>();
    double hz;
    if (b.clockMhz() > 0 && a.clockMhz() > 0) {
      hz = (b.clockMhz() + a.clockMhz()) / 2 * 1e6;
    } else {
      hz = ctx.scope().facts().cpuMaxHz();
      notes.add("/proc/cpuinfo reports no cpu MHz: cycles at the CPU's maximum clock");
    }
    String undelivered =
        b.delivered().unavailable() != null
            ? b.delivered().unavailable()
            : a.delivered().unavailable();
    long delivered =
        undelivered != null
            ? 0
            : DeliveredPackets.between(b.delivered().byNamespace(), a.delivered().byNamespace());
    m.put(PROCESSED, processed);
    m.put(DROPPED, dropped);
    m.put(TIME_SQUEEZE, squeeze);
    m.put(RECEIVED_RPS, delta(b, a, SoftnetCpu::receivedRps));
    m.put(NET_RX, a.netRx() - b.netRx());
    m.put(NET_TX, a.netTx() - b.netTx());
    m.put(CPU_SECONDS, softirqSeconds);
    m.put(CPU_SHARE, (double) softirqTicks / totalTicks);
    if (undelivered == null) {
      m.put(DELIVERED, delivered);
    } else {
      notes.add(
          "packets delivered not counted (" + undelivered + "): no cycles per delivered packet");
    }
    if (hz > 0) {
      m.put(CLOCK_MHZ, hz / 1e6);
    }
    if (a.net() != null && a.net().lostEvents() > 0) {
      // a trace that overwrote events undercounts by an unknown share: no figure beats a low one
      notes.add(
          String.format(
              "the softirq trace lost %,d events (buffer full): no NET_RX/NET_TX time or cycles this step",
              a.net().lostEvents()));
    } else if (a.net() != null) {
      double netSeconds = a.net().time().netNanos() / 1e9;
      m.put(NET_SECONDS, netSeconds);
      m.put(NET_RUNS_TRACED, a.net().time().runs());
      if (processed > 0 && hz > 0) {
        m.put(CYCLES_PER_HOP, netSeconds * hz / processed);
      }
      if (delivered > 0 && hz > 0) {
        m.put(CYCLES_PER_DELIVERED, netSeconds * hz / delivered);
      }
    } else {
      notes.add(
          ctx.scope().softirq().why()
              + ": no cycles per packet (/proc/stat's softirq time is every vector's, not packets', and tick-sampled)");
    }
    limit(a, "net.core.netdev_budget", NETDEV_BUDGET, m);
    limit(a, "net.core.netdev_budget_usecs", NETDEV_BUDGET_USECS, m);
    limit(a, "net.core.netdev_max_backlog", NETDEV_MAX_BACKLOG, m);
    List<Finding> findings = new ArrayList<>();
    if (dropped > thresholds.maxDrops()) {
      List<Evidence> ev = new ArrayList<>(perCpu(b, a, "dropped", SoftnetCpu::dropped));
      List<Evidence> steered = steeredToDroppingCpus(b, a);
      ev.addAll(steered);
      findings.add(
          Finding.of(
              Severity.CRITICAL,
              Cause.BACKLOG_FULL,
              "node",
              String.format(
                      "%,d packets dropped because a CPU's input backlog was full (netdev_max_backlog)",
                      dropped)
                  + (steered.isEmpty()
                      ? ""
                      : "; RPS steered packets to the dropping CPU (received_rps rose): the CPU"
                          + " draining that backlog is slower than the CPUs filling it (rps_cpus)"),
              ev));
    }
    if (squeeze > thresholds.maxTimeSqueeze()) {
      findings.add(
          Finding.of(
              Severity.WARNING,
              Cause.BUDGET_EXHAUSTED,
              "node",
              String.format(
                  "NET_RX ran out of budget %,d times with packets left (netdev_budget/netdev_budget_usecs)",
                  squeeze),
              perCpu(b, a, "time_squeeze", SoftnetCpu::timeSqueeze)));
    }
    return new ProbeResult(name(), m.toMap(), findings, a, notes);
  }

  /**
   * The increase of a softnet counter over the step, summed over the CPUs present in both
   * snapshots, each CPU's 32-bit counter taken modulo 2^32 (a wrap is not a drop).
   */
  static long delta(Snapshot b, Snapshot a, ToLongFunction<SoftnetCpu> f) {
    Map<Integer, Long> before = new HashMap<>();
    b.softnet().forEach(c -> before.put(c.cpu(), f.applyAsLong(c)));
    long sum = 0;
    for (SoftnetCpu c : a.softnet()) {
      Long was = before.get(c.cpu());
      if (was != null) {
        sum += Counters.delta32(was, f.applyAsLong(c));
      }
    }
    return sum;
  }

  private static void limit(Snapshot a, String key, Metric metric, MetricValues m) {
    Long v = a.limits().get(key);
    if (v != null) {
      m.put(metric, v);
    }
  }

  /**
   * The {@code received_rps} rise of each CPU whose backlog dropped packets: RPS enqueues to
   * another CPU's backlog ({@code enqueue_to_backlog} on the target CPU, whose {@code dropped}
   * counts what did not fit) and wakes it with an IPI, which that CPU counts.
   */
  private static List<Evidence> steeredToDroppingCpus(Snapshot b, Snapshot a) {
    Map<Integer, SoftnetCpu> before = new HashMap<>();
    b.softnet().forEach(c -> before.put(c.cpu(), c));
    List<Evidence> ev = new ArrayList<>();
    for (SoftnetCpu c : a.softnet()) {
      SoftnetCpu was = before.get(c.cpu());
      if (was != null
          && Counters.delta32(was.dropped(), c.dropped()) > 0
          && Counters.delta32(was.receivedRps(), c.receivedRps()) > 0) {
        ev.add(
            Evidence.counter(
                "softnet_stat cpu" + c.cpu() + " received_rps",
                was.receivedRps(),
                c.receivedRps()));
      }
    }
    return ev;
  }

  private static List<Evidence> perCpu(
      Snapshot b, Snapshot a, String what, ToLongFunction<SoftnetCpu> f) {
    Map<Integer, Long> before = new HashMap<>();
    b.softnet().forEach(c -> before.put(c.cpu(), f.applyAsLong(c)));
    List<Evidence> ev = new ArrayList<>();
    for (SoftnetCpu c : a.softnet()) {
      long now = f.applyAsLong(c);
      long was = before.getOrDefault(c.cpu(), now);
      if (Counters.delta32(was, now) != 0) {
        ev.add(Evidence.counter("softnet_stat cpu" + c.cpu() + " " + what, was, now));
      }
    }
    return ev;
  }
}
