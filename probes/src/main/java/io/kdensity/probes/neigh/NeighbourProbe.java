package io.kdensity.probes.neigh;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.sysctl.Sysctl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The node-wide neighbour tables against their limits. Reads {@code /proc/net/stat/ndisc_cache},
 * {@code arp_cache} and {@code gc_thresh1/2/3} in the node's root namespace (the only place they
 * exist) and reports {@code NEIGH_TABLE_OVERFLOW} when {@code table_fulls} rose: the kernel refused
 * to create neighbour entries, so packets to those neighbours were dropped.
 */
public final class NeighbourProbe implements Probe<NeighbourProbe.Snapshot> {

  static final String NDISC = "/proc/net/stat/ndisc_cache";
  static final String ARP = "/proc/net/stat/arp_cache";

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
  public Snapshot snapshot(ProbeContext ctx) {
    List<String> paths = new ArrayList<>(List.of(NDISC, ARP));
    Map<String, String> keyOf = new LinkedHashMap<>();
    for (String fam : List.of("ipv6", "ipv4")) {
      for (int i = 1; i <= 3; i++) {
        String key = "net." + fam + ".neigh.default.gc_thresh" + i;
        String path = new Sysctl(key).path();
        keyOf.put(path, key);
        paths.add(path);
      }
    }
    Map<String, FileRead> r = ctx.scope().host().readFiles(paths);
    return new Snapshot(
        table("ipv6", NeighCacheStatParser.parse(r.get(NDISC).require(), NDISC), r),
        table("ipv4", NeighCacheStatParser.parse(r.get(ARP).require(), ARP), r));
  }

  private static Table table(String fam, NeighCacheStats stats, Map<String, FileRead> r) {
    long[] t = new long[4];
    for (int i = 1; i <= 3; i++) {
      String path = new Sysctl("net." + fam + ".neigh.default.gc_thresh" + i).path();
      t[i] = Long.parseLong(r.get(path).require().strip());
    }
    return new Table(fam, stats, t[1], t[2], t[3]);
  }

  @Override
  public ProbeResult evaluate(Snapshot before, Snapshot after, ProbeContext ctx) {
    Map<String, Double> m = new HashMap<>();
    List<Finding> findings = new ArrayList<>();
    judge(before.v6(), after.v6(), "v6", m, findings);
    judge(before.v4(), after.v4(), "v4", m, findings);
    return new ProbeResult(name(), m, findings, after);
  }

  private void judge(Table b, Table a, String fam, Map<String, Double> m, List<Finding> findings) {
    String p = "neigh." + fam + ".";
    long fulls = a.stats().tableFulls() - b.stats().tableFulls();
    long forced = a.stats().forcedGcRuns() - b.stats().forcedGcRuns();
    m.put(p + "entries", (double) a.stats().entries());
    m.put(p + "gc_thresh1", (double) a.gcThresh1());
    m.put(p + "gc_thresh2", (double) a.gcThresh2());
    m.put(p + "gc_thresh3", (double) a.gcThresh3());
    m.put(p + "table_fulls", (double) fulls);
    m.put(p + "forced_gc_runs", (double) forced);
    m.put(p + "res_failed", (double) (a.stats().resFailed() - b.stats().resFailed()));
    String label = fam.equals("v6") ? "IPv6 (ndisc_cache)" : "IPv4 (arp_cache)";
    String file = fam.equals("v6") ? "ndisc_cache" : "arp_cache";
    List<Evidence> ev =
        List.of(
            Evidence.counter(file + " table_fulls", b.stats().tableFulls(), a.stats().tableFulls()),
            Evidence.counter(
                file + " forced_gc_runs", b.stats().forcedGcRuns(), a.stats().forcedGcRuns()),
            Evidence.counter(file + " entries", b.stats().entries(), a.stats().entries()),
            Evidence.observed(
                "net.ip" + fam + ".neigh.default.gc_thresh1/2/3",
                a.gcThresh1() + " " + a.gcThresh2() + " " + a.gcThresh3()));
    if (fulls > thresholds.maxTableFulls()) {
      findings.add(
          new Finding(
              FindingCode.NEIGH_TABLE_OVERFLOW,
              Severity.CRITICAL,
              "node",
              String.format(
                  "%s neighbour table full: %,d entries refused (table_fulls +%,d), %,d entries, gc_thresh3 %,d",
                  label, fulls, fulls, a.stats().entries(), a.gcThresh3()),
              ev));
    } else if (a.gcThresh3() > 0 && a.stats().entries() >= thresholds.nearLimit() * a.gcThresh3()) {
      findings.add(
          new Finding(
              FindingCode.NEIGH_TABLE_OVERFLOW,
              Severity.WARNING,
              "node",
              String.format(
                  "%s neighbour table near its limit: %,d entries of gc_thresh3 %,d",
                  label, a.stats().entries(), a.gcThresh3()),
              ev));
    }
  }
}
