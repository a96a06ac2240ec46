package io.kdensity.probes.conntrack;

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
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.NodeShell;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Connection tracking in the node's network namespace, where it is loaded: entries now against
 * {@code nf_conntrack_max}, and packets dropped over the step because the table had no room (the
 * kernel's "nf_conntrack: table full, dropping packet"). Without conntrack (no {@code
 * nf_conntrack_count} in the namespace) it emits nothing.
 *
 * <p>The kernel compares the namespace's own count with the node-wide {@code nf_conntrack_max}
 * ({@code __nf_conntrack_alloc}, net/netfilter/nf_conntrack_core.c). At the limit it tries to evict
 * an unassured entry from the new one's few hash buckets ({@code early_drop}); if none is there, it
 * drops the packet. Dropped packets are a critical finding, evictions a warning (the node made
 * room, at the cost of a flow that had not yet seen a reply), and so are entries at or above the
 * warning share of the limit with nothing dropped. {@code insert_failed} counts clashes of racing
 * packets as well, so it is in {@link #DROPS} but judges nothing.
 */
public final class ConntrackProbe implements Probe<ConntrackProbe.Snapshot> {
  static final String COUNT = "/proc/sys/net/netfilter/nf_conntrack_count";
  static final String MAX = "/proc/sys/net/netfilter/nf_conntrack_max";
  static final String STAT = "/proc/net/stat/nf_conntrack";

  public static final Metric ENTRIES =
      Metric.count("conntrack.entries", "connection tracking entries in the node's namespace");
  public static final Metric MAX_ENTRIES =
      Metric.count("conntrack.max", "nf_conntrack_max: the table's size, node-wide");
  public static final Metric DROPS =
      Metric.count(
          "conntrack.drops",
          "packets conntrack dropped or entries it evicted or failed to insert in the step");

  /**
   * @param nearLimit entries at or above this fraction of {@code nf_conntrack_max} raise a warning
   */
  public record Thresholds(double nearLimit) {
    public static final Thresholds DEFAULT = new Thresholds(0.9);
  }

  private final Thresholds thresholds;

  public ConntrackProbe(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  /**
   * @param present whether the namespace has conntrack
   * @param entries {@code nf_conntrack_count}
   * @param max {@code nf_conntrack_max}
   * @param cpus the per-CPU drop counters
   */
  public record Snapshot(boolean present, long entries, long max, List<ConntrackCpu> cpus) {
    public Snapshot {
      cpus = List.copyOf(cpus);
    }

    static final Snapshot ABSENT = new Snapshot(false, 0, 0, List.of());
  }

  @Override
  public String name() {
    return "conntrack";
  }

  @Override
  public List<Metric> metrics() {
    return List.of(ENTRIES, MAX_ENTRIES, DROPS);
  }

  @Override
  public Snapshot snapshot(ProbeContext ctx) {
    NodeShell node = ctx.scope().node();
    Map<String, FileRead> r = node.readFiles(List.of(COUNT, MAX, STAT));
    if (!r.get(COUNT).isOk()) {
      return Snapshot.ABSENT;
    }
    String where = " in " + node.describe();
    return new Snapshot(
        true,
        Text.firstDecimal(r.get(COUNT).content(), COUNT + where),
        Text.firstDecimal(r.get(MAX).require(), MAX + where),
        ConntrackStatParser.parse(r.get(STAT).require(), STAT + where));
  }

  @Override
  public ProbeResult evaluate(Snapshot b, Snapshot a, ProbeContext ctx) {
    MetricValues m = new MetricValues();
    List<Finding> findings = new ArrayList<>();
    if (a.present()) {
      m.put(ENTRIES, a.entries());
      m.put(MAX_ENTRIES, a.max());
      if (b.present()) {
        long dropped = delta(b, a, ConntrackCpu::drop);
        long evicted = delta(b, a, ConntrackCpu::earlyDrop);
        m.put(DROPS, dropped + evicted + delta(b, a, ConntrackCpu::insertFailed));
        if (dropped > 0 || evicted > 0) {
          findings.add(full(b, a, dropped, evicted, ctx.scope().node().describe()));
        } else if (a.max() > 0 && a.entries() >= thresholds.nearLimit() * a.max()) {
          findings.add(
              Finding.of(
                  Severity.WARNING,
                  Cause.CONNTRACK_NEAR_LIMIT,
                  "node",
                  String.format(
                      "conntrack table near its limit in %s: %,d entries of nf_conntrack_max %,d"
                          + " (warning at %.0f%%)",
                      ctx.scope().node().describe(),
                      a.entries(),
                      a.max(),
                      thresholds.nearLimit() * 100),
                  List.of(count(a))));
        }
      }
    }
    return new ProbeResult(name(), m.toMap(), findings, a);
  }

  private static Finding full(Snapshot b, Snapshot a, long dropped, long evicted, String node) {
    long droppedBefore = sum(b, ConntrackCpu::drop);
    long evictedBefore = sum(b, ConntrackCpu::earlyDrop);
    return Finding.of(
        dropped > 0 ? Severity.CRITICAL : Severity.WARNING,
        dropped > 0 ? Cause.CONNTRACK_DROPPING : Cause.CONNTRACK_EVICTING,
        "node",
        String.format(
            "conntrack table full in %s: %,d packets of new connections dropped, %,d unassured"
                + " entries evicted (%,d entries at the step's end, nf_conntrack_max %,d)",
            node, dropped, evicted, a.entries(), a.max()),
        List.of(
            Evidence.counter("nf_conntrack drop", droppedBefore, droppedBefore + dropped),
            Evidence.counter("nf_conntrack early_drop", evictedBefore, evictedBefore + evicted),
            count(a)));
  }

  private static Evidence count(Snapshot a) {
    return Evidence.observed(
        "entries",
        String.format("nf_conntrack_count %d of nf_conntrack_max %d", a.entries(), a.max()));
  }

  private static long sum(Snapshot s, ToLongFunction<ConntrackCpu> counter) {
    return s.cpus().stream().mapToLong(counter).sum();
  }

  /** A counter's increase summed over the CPUs of both snapshots, each modulo 2^32. */
  private static long delta(Snapshot b, Snapshot a, ToLongFunction<ConntrackCpu> counter) {
    long sum = 0;
    for (int i = 0; i < Math.min(b.cpus().size(), a.cpus().size()); i++) {
      sum +=
          Counters.delta32(
              counter.applyAsLong(b.cpus().get(i)), counter.applyAsLong(a.cpus().get(i)));
    }
    return sum;
  }
}
