package io.kdensity.probes.cpu;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.shell.FileRead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU spent on packets. Per-CPU softnet deltas show backlog drops ({@code SOFTNET_DROPS}, raise
 * {@code netdev_max_backlog}) and budget exhaustion ({@code SOFTNET_TIME_SQUEEZE}, raise {@code
 * netdev_budget}/{@code _usecs} or spread with RPS); softirq CPU time divided by packets processed,
 * times the CPU frequency, estimates CPU cycles per packet.
 */
public final class PacketCpuProbe implements Probe<PacketCpuProbe.Snapshot> {

  static final String SOFTNET = "/proc/net/softnet_stat";
  static final String SOFTIRQS = "/proc/softirqs";
  static final String STAT = "/proc/stat";

  /** USER_HZ: /proc/stat counts in 1/100 s on every mainstream architecture. */
  static final int USER_HZ = 100;

  /**
   * @param maxDrops backlog drops tolerated per step
   * @param maxTimeSqueeze time squeezes tolerated per step
   */
  public record Thresholds(long maxDrops, long maxTimeSqueeze) {
    public static final Thresholds DEFAULT = new Thresholds(0, 0);
  }

  public record Snapshot(List<SoftnetCpu> softnet, long netRx, long netTx, CpuTimes cpu) {
    public Snapshot {
      softnet = List.copyOf(softnet);
    }

    long sum(java.util.function.ToLongFunction<SoftnetCpu> f) {
      return softnet.stream().mapToLong(f).sum();
    }
  }

  private final Thresholds thresholds;

  public PacketCpuProbe(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  @Override
  public String name() {
    return "packet-cpu";
  }

  @Override
  public Snapshot snapshot(ProbeContext ctx) {
    Map<String, FileRead> r = ctx.scope().host().readFiles(List.of(SOFTNET, SOFTIRQS, STAT));
    Softirqs si = SoftirqsParser.parse(r.get(SOFTIRQS).require(), SOFTIRQS);
    return new Snapshot(
        SoftnetStatParser.parse(r.get(SOFTNET).require(), SOFTNET),
        si.total("NET_RX"),
        si.total("NET_TX"),
        ProcStatParser.parse(r.get(STAT).require(), STAT).get(0));
  }

  @Override
  public ProbeResult evaluate(Snapshot b, Snapshot a, ProbeContext ctx) {
    long processed = a.sum(SoftnetCpu::processed) - b.sum(SoftnetCpu::processed);
    long dropped = a.sum(SoftnetCpu::dropped) - b.sum(SoftnetCpu::dropped);
    long squeeze = a.sum(SoftnetCpu::timeSqueeze) - b.sum(SoftnetCpu::timeSqueeze);
    long softirqTicks = a.cpu().softirq() - b.cpu().softirq();
    long totalTicks = Math.max(1, a.cpu().total() - b.cpu().total());
    double softirqSeconds = (double) softirqTicks / USER_HZ;
    long hz = ctx.scope().facts().cpuMaxHz();
    Map<String, Double> m = new HashMap<>();
    m.put("softnet.processed", (double) processed);
    m.put("softnet.dropped", (double) dropped);
    m.put("softnet.time_squeeze", (double) squeeze);
    m.put("softirq.net_rx", (double) (a.netRx() - b.netRx()));
    m.put("softirq.net_tx", (double) (a.netTx() - b.netTx()));
    m.put("softirq.cpu_seconds", softirqSeconds);
    m.put("softirq.cpu_share", (double) softirqTicks / totalTicks);
    if (processed > 0 && hz > 0) {
      m.put("softirq.cycles_per_packet", softirqSeconds * hz / processed);
    }
    List<Finding> findings = new ArrayList<>();
    if (dropped > thresholds.maxDrops()) {
      findings.add(
          new Finding(
              FindingCode.SOFTNET_DROPS,
              Severity.CRITICAL,
              "node",
              String.format(
                  "%,d packets dropped because a CPU's input backlog was full (netdev_max_backlog)",
                  dropped),
              perCpu(b, a, "dropped", SoftnetCpu::dropped)));
    }
    if (squeeze > thresholds.maxTimeSqueeze()) {
      findings.add(
          new Finding(
              FindingCode.SOFTNET_TIME_SQUEEZE,
              Severity.WARNING,
              "node",
              String.format(
                  "NET_RX ran out of budget %,d times with packets left (netdev_budget/netdev_budget_usecs)",
                  squeeze),
              perCpu(b, a, "time_squeeze", SoftnetCpu::timeSqueeze)));
    }
    return new ProbeResult(name(), m, findings, a);
  }

  private static List<Evidence> perCpu(
      Snapshot b, Snapshot a, String what, java.util.function.ToLongFunction<SoftnetCpu> f) {
    Map<Integer, Long> before = new HashMap<>();
    b.softnet().forEach(c -> before.put(c.cpu(), f.applyAsLong(c)));
    List<Evidence> ev = new ArrayList<>();
    for (SoftnetCpu c : a.softnet()) {
      long now = f.applyAsLong(c);
      long was = before.getOrDefault(c.cpu(), now);
      if (now != was) {
        ev.add(Evidence.counter("softnet_stat cpu" + c.cpu() + " " + what, was, now));
      }
    }
    return ev;
  }
}
