package io.kdensity.probes.neigh;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.parse.Text;
import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.probe.MetricValues;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.sysctl.Sysctl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The node-wide neighbour tables against their limits. Reads {@code /proc/net/stat/ndisc_cache},
 * {@code arp_cache} and {@code gc_thresh1/2/3} in the node's root namespace (the only place they
 * exist) and reports {@code NEIGH_TABLE_OVERFLOW} when {@code table_fulls} rose: the kernel refused
 * to create neighbour entries, so packets to those neighbours were dropped.
 */
public final class NeighbourProbe implements Probe<NeighbourProbe.Snapshot> {

  /** One address family's table: where its statistics and limits live, and its metrics. */
  public enum Family {
    V6("ipv6", "/proc/net/stat/ndisc_cache", "IPv6 (ndisc_cache)"),
    V4("ipv4", "/proc/net/stat/arp_cache", "IPv4 (arp_cache)");

    private final String sysctlFamily;
    private final String statFile;
    private final String label;
    private final FamilyMetrics metrics;

    Family(String sysctlFamily, String statFile, String label) {
      this.sysctlFamily = sysctlFamily;
      this.statFile = statFile;
      this.label = label;
      this.metrics = new FamilyMetrics(name().toLowerCase(), label);
    }

    /** The metrics of this family's table. */
    public FamilyMetrics metrics() {
      return metrics;
    }

    /** {@code net.ipv6.neigh.default.gc_thresh<n>}. */
    public String gcThreshKey(int n) {
      return "net." + sysctlFamily + ".neigh.default.gc_thresh" + n;
    }

    String statName() {
      return statFile.substring(statFile.lastIndexOf('/') + 1);
    }
  }

  /**
   * The metrics of one family, {@code neigh.v6.*} or {@code neigh.v4.*}.
   *
   * @param entries entries in the table at the end of the step (all namespaces)
   * @param gcThresh1 the limit below which GC leaves entries alone
   * @param gcThresh2 the soft limit
   * @param gcThresh3 the hard limit: no entry beyond it
   * @param tableFulls entries refused during the step
   * @param forcedGcRuns forced garbage collections during the step
   * @param resFailed failed resolutions during the step
   */
  public record FamilyMetrics(
      Metric entries,
      Metric gcThresh1,
      Metric gcThresh2,
      Metric gcThresh3,
      Metric tableFulls,
      Metric forcedGcRuns,
      Metric resFailed) {
    FamilyMetrics(String fam, String label) {
      this(
          Metric.count("neigh." + fam + ".entries", label + " entries, every namespace"),
          Metric.count("neigh." + fam + ".gc_thresh1", label + " gc_thresh1"),
          Metric.count("neigh." + fam + ".gc_thresh2", label + " gc_thresh2"),
          Metric.count("neigh." + fam + ".gc_thresh3", label + " gc_thresh3 (hard limit)"),
          Metric.count("neigh." + fam + ".table_fulls", label + " entries refused in the step"),
          Metric.count("neigh." + fam + ".forced_gc_runs", label + " forced GC runs in the step"),
          Metric.count("neigh." + fam + ".res_failed", label + " failed resolutions in the step"));
    }

    List<Metric> all() {
      return List.of(entries, gcThresh1, gcThresh2, gcThresh3, tableFulls, forcedGcRuns, resFailed);
    }
  }

  /**
   * @param maxTableFulls table_fulls increments tolerated per step
   * @param nearLimit entries at or above this fraction of gc_thresh3 raise a warning
   */
  public record Thresholds(long maxTableFulls, double nearLimit) {
    public static final Thresholds DEFAULT = new Thresholds(0, 0.9);
  }

  /** One family's table: its statistics and limits. */
  public record Table(
      String family, NeighCacheStats stats, long gcThresh1, long gcThresh2, long gcThresh3) {}

  /** Both tables. */
  public record Snapshot(Table v6, Table v4) {}

  private final Thresholds thresholds;

  public NeighbourProbe(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  @Override
  public String name() {
    return "neighbour";
  }

  @Override
  public List<Metric> metrics() {
    List<Metric> all = new ArrayList<>(Family.V6.metrics().all());
    all.addAll(Family.V4.metrics().all());
    return all;
  }

  @Override
  public Snapshot snapshot(ProbeContext ctx) {
    List<String> paths = new ArrayList<>();
    for (Family f : Family.values()) {
      paths.add(f.statFile);
      for (int i = 1; i <= 3; i++) {
        paths.add(new Sysctl(f.gcThreshKey(i)).path());
      }
    }
    Map<String, FileRead> r = ctx.scope().host().readFiles(paths);
    return new Snapshot(table(Family.V6, r), table(Family.V4, r));
  }

  private static Table table(Family f, Map<String, FileRead> r) {
    NeighCacheStats stats = NeighCacheStatParser.parse(r.get(f.statFile).require(), f.statFile);
    long[] t = new long[4];
    for (int i = 1; i <= 3; i++) {
      String path = new Sysctl(f.gcThreshKey(i)).path();
      t[i] = Text.firstDecimal(r.get(path).require(), path);
    }
    return new Table(f.sysctlFamily, stats, t[1], t[2], t[3]);
  }

  @Override
  public ProbeResult evaluate(Snapshot before, Snapshot after, ProbeContext ctx) {
    MetricValues m = new MetricValues();
    List<Finding> findings = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    judge(Family.V6, before.v6(), after.v6(), m, findings, notes);
    judge(Family.V4, before.v4(), after.v4(), m, findings, notes);
    return new ProbeResult(name(), m.toMap(), findings, after, notes);
  }

  private void judge(
      Family f, Table b, Table a, MetricValues m, List<Finding> findings, List<String> notes) {
    FamilyMetrics fm = f.metrics();
    boolean known = a.stats().knowsTableFulls() && b.stats().knowsTableFulls();
    long fulls = known ? a.stats().tableFulls() - b.stats().tableFulls() : 0;
    m.put(fm.entries(), a.stats().entries());
    m.put(fm.gcThresh1(), a.gcThresh1());
    m.put(fm.gcThresh2(), a.gcThresh2());
    m.put(fm.gcThresh3(), a.gcThresh3());
    if (known) {
      m.put(fm.tableFulls(), fulls);
    } else {
      notes.add(
          f.statName()
              + " has no table_fulls column (kernel before 4.4): refused entries cannot be"
              + " counted; only entries near gc_thresh3 are judged");
    }
    m.put(fm.forcedGcRuns(), a.stats().forcedGcRuns() - b.stats().forcedGcRuns());
    m.put(fm.resFailed(), a.stats().resFailed() - b.stats().resFailed());
    String file = f.statName();
    List<Evidence> ev = new ArrayList<>();
    if (known) {
      ev.add(
          Evidence.counter(file + " table_fulls", b.stats().tableFulls(), a.stats().tableFulls()));
    }
    ev.addAll(
        List.of(
            Evidence.counter(
                file + " forced_gc_runs", b.stats().forcedGcRuns(), a.stats().forcedGcRuns()),
            Evidence.counter(file + " entries", b.stats().entries(), a.stats().entries()),
            Evidence.observed(
                "net." + f.sysctlFamily + ".neigh.default.gc_thresh1/2/3",
                a.gcThresh1() + " " + a.gcThresh2() + " " + a.gcThresh3())));
    if (known && fulls > thresholds.maxTableFulls()) {
      findings.add(
          Finding.of(
              Severity.CRITICAL,
              Cause.NEIGHBOUR_TABLE_FULL,
              "node",
              String.format(
                  "%s neighbour table full: %,d entries refused (table_fulls +%,d), %,d entries, gc_thresh3 %,d",
                  f.label, fulls, fulls, a.stats().entries(), a.gcThresh3()),
              ev));
    } else if (a.gcThresh3() > 0 && a.stats().entries() >= thresholds.nearLimit() * a.gcThresh3()) {
      findings.add(
          Finding.of(
              Severity.WARNING,
              Cause.NEIGHBOUR_TABLE_NEAR_LIMIT,
              "node",
              String.format(
                  "%s neighbour table near its limit: %,d entries of gc_thresh3 %,d",
                  f.label, a.stats().entries(), a.gcThresh3()),
              ev));
    }
  }
}
