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
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.sysctl.Sysctl;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node-wide neighbour tables against their limits. Reads {@code /proc/net/stat/ndisc_cache},
 * {@code arp_cache} and {@code gc_thresh1/2/3} in the node's root namespace (the only place they
 * exist) and reports {@code NEIGH_TABLE_OVERFLOW} when {@code table_fulls} rose: the kernel refused
 * to create neighbour entries, so packets to those neighbours were dropped.
 *
 * <p>The table counts the entries of every namespace. Dumps of the node's namespace, of the
 * namespaces emulating the outside world, of the machine's own namespace and of every namespace
 * that is not the run's ({@link UnrelatedNamespaces}) tell whose entries they are (the run's pods'
 * are the rest), and which are exempt from the limits (permanent ones: the emulated router's
 * entries for the pods are programmed so, as a real router's are not on the node at all). The
 * near-limit warning and the sizing judge what the kernel counts.
 *
 * <p>Over 300 lines: for each of the two families, the snapshot, whose entries they are, the
 * overflow judgement and the sizing tell one table's story and read the same snapshot.
 */
public final class NeighbourProbe implements Probe<NeighbourProbe.Snapshot> {
  /** The probe's name: its snapshot's key in a sweep. */
  public static final String NAME = "neighbour";

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

    /**
     * The table's statistics, node-wide ({@code /proc/net/stat/ndisc_cache}, {@code arp_cache}).
     */
    public String statFile() {
      return statFile;
    }

    /** The metrics of this family's table. */
    public FamilyMetrics metrics() {
      return metrics;
    }

    /** {@code net.ipv6.neigh.default.gc_thresh<n>}. */
    public String gcThreshKey(int n) {
      return "net." + sysctlFamily + ".neigh.default.gc_thresh" + n;
    }

    /** How messages name the table: "IPv6 (ndisc_cache)". */
    public String label() {
      return label;
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
   * @param node entries in the node's namespace (the host side of routed pods, its uplinks)
   * @param pods entries in the run's pods' namespaces: every entry not in a namespace listed apart
   * @param emulation entries of the namespaces that emulate the world outside the node (the local
   *     target's switch and router): on a real node they live in the router
   * @param other entries of the machine's own root namespace when it is not the node, and of the
   *     namespaces that are not the run's (other containers, other workloads' pods)
   * @param exempt entries the kernel leaves out of the gc_thresh accounting (permanent and
   *     externally learned ones, since Linux 4.19)
   * @param gcEntries entries the kernel compares with gc_thresh1/2/3: all but the exempt ones
   * @param nodeSide what a real node would hold: node + pods
   */
  public record FamilyMetrics(
      Metric entries,
      Metric gcThresh1,
      Metric gcThresh2,
      Metric gcThresh3,
      Metric tableFulls,
      Metric forcedGcRuns,
      Metric resFailed,
      Metric node,
      Metric pods,
      Metric emulation,
      Metric other,
      Metric exempt,
      Metric gcEntries,
      Metric nodeSide) {
    FamilyMetrics(String fam, String label) {
      this(
          Metric.count("neigh." + fam + ".entries", label + " entries, every namespace"),
          Metric.count("neigh." + fam + ".gc_thresh1", label + " gc_thresh1"),
          Metric.count("neigh." + fam + ".gc_thresh2", label + " gc_thresh2"),
          Metric.count("neigh." + fam + ".gc_thresh3", label + " gc_thresh3 (hard limit)"),
          Metric.count("neigh." + fam + ".table_fulls", label + " entries refused in the step"),
          Metric.count("neigh." + fam + ".forced_gc_runs", label + " forced GC runs in the step"),
          Metric.count("neigh." + fam + ".res_failed", label + " failed resolutions in the step"),
          Metric.count(
              "neigh." + fam + ".entries.node", label + " entries of the node's namespace"),
          Metric.count(
              "neigh." + fam + ".entries.pods", label + " entries of the run's pods' namespaces"),
          Metric.count(
              "neigh." + fam + ".entries.emulation",
              label + " entries of the emulated switch/router"),
          Metric.count(
              "neigh." + fam + ".entries.other",
              label
                  + " entries of the machine's own root namespace and of namespaces that are not the run's (other containers and pods)"),
          Metric.count("neigh." + fam + ".exempt", label + " entries exempt from gc_thresh"),
          Metric.count(
              "neigh." + fam + ".gc_entries", label + " entries counted against gc_thresh"),
          Metric.count("neigh." + fam + ".node_side", label + " entries a real node would hold"));
    }

    List<Metric> all() {
      return List.of(
          entries,
          gcThresh1,
          gcThresh2,
          gcThresh3,
          tableFulls,
          forcedGcRuns,
          resFailed,
          node,
          pods,
          emulation,
          other,
          exempt,
          gcEntries,
          nodeSide);
    }
  }

  /**
   * Where neighbour entries are kept apart. The probe counts the pods' as what remains of the
   * kernel's total; a {@link NeighbourCensus} dumps them.
   */
  public enum Role {
    /** The node's namespace. */
    NODE,
    /** The run's pods' namespaces. */
    PODS,
    /** Namespaces emulating the world outside the node. */
    EMULATION,
    /**
     * The machine's own root namespace when it is not the node's, and every namespace that is not
     * the run's (other containers, other workloads' pods: {@link UnrelatedNamespaces}).
     */
    OTHER
  }

  /**
   * Entries of one family in one role.
   *
   * @param entries all of them
   * @param exempt permanent or externally learned ones
   */
  public record Count(long entries, long exempt) {
    static final Count NONE = new Count(0, 0);

    Count plus(Count o) {
      return new Count(entries + o.entries, exempt + o.exempt);
    }
  }

  static final Command DUMP = Command.of("ip", "-j", "neigh", "show", "nud", "all");

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

  /**
   * Both tables, and their entries by role.
   *
   * @param roles per role, the IPv6 and IPv4 counts ({@code v6}, {@code v4} keys)
   * @param unrelatedNamespaces namespaces on the machine that are not the run's, counted as {@link
   *     Role#OTHER}; -1 if they could not be told apart (then they count with the pods)
   */
  public record Snapshot(
      Table v6, Table v4, Map<Role, Map<String, Count>> roles, int unrelatedNamespaces) {
    public Snapshot {
      roles = Map.copyOf(roles);
    }

    Count count(Role r, Family f) {
      return roles.getOrDefault(r, Map.of()).getOrDefault(f.name().toLowerCase(), Count.NONE);
    }
  }

  private final Thresholds thresholds;

  public NeighbourProbe(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  @Override
  public String name() {
    return NAME;
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
    Map<Role, Map<String, Count>> roles = new EnumMap<>(Role.class);
    roles.put(Role.NODE, count(ctx.scope().node()));
    Map<String, Count> emulation = new HashMap<>();
    for (NodeShell ns : ctx.scope().outsideNode()) {
      count(ns).forEach((fam, c) -> emulation.merge(fam, c, Count::plus));
    }
    roles.put(Role.EMULATION, emulation);
    Map<String, Count> other = new HashMap<>();
    if (ctx.scope().host() != ctx.scope().node()) {
      other.putAll(count(ctx.scope().host()));
    }
    Optional<UnrelatedNamespaces.Found> unrelated = UnrelatedNamespaces.find(ctx.scope());
    for (String path : unrelated.map(UnrelatedNamespaces.Found::paths).orElse(List.of())) {
      CommandResult dump = ctx.scope().host().run(UnrelatedNamespaces.dump(path));
      if (dump.ok()) { // else it went away since it was listed
        count(dump.stdout(), "neighbours of " + path)
            .forEach((fam, c) -> other.merge(fam, c, Count::plus));
      }
    }
    roles.put(Role.OTHER, other);
    return new Snapshot(
        table(Family.V6, r),
        table(Family.V4, r),
        roles,
        unrelated.map(UnrelatedNamespaces.Found::found).orElse(-1));
  }

  /** The entries of one namespace by family ({@code v6}, {@code v4}). */
  private static Map<String, Count> count(NodeShell ns) {
    return count(ns.run(DUMP).requireSuccess().stdout(), DUMP.display() + " in " + ns.describe());
  }

  private static Map<String, Count> count(String dump, String source) {
    List<NeighEntry> entries = IpNeighParser.parse(dump, source);
    Map<String, Count> out = new HashMap<>();
    for (NeighEntry e : entries) {
      out.merge(e.ipv6() ? "v6" : "v4", new Count(1, e.exemptFromGc() ? 1 : 0), Count::plus);
    }
    return out;
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

  /**
   * Entries both tables refused between two snapshots taken in different steps: the previous step's
   * last probe and this step's first, so while this step's pods came up and settled — a burst (DAD,
   * router and multicast solicitations, the node's first contact with every new address) that a
   * step's own before/after never sees. 0 where a snapshot is missing or the kernel has no
   * table_fulls column.
   */
  public static long refusedBetween(Object earlier, Object later) {
    if (!(earlier instanceof Snapshot b) || !(later instanceof Snapshot a)) {
      return 0;
    }
    long refused = 0;
    for (Table[] t : List.of(new Table[] {b.v6(), a.v6()}, new Table[] {b.v4(), a.v4()})) {
      if (t[0].stats().knowsTableFulls() && t[1].stats().knowsTableFulls()) {
        refused += Math.max(0, t[1].stats().tableFulls() - t[0].stats().tableFulls());
      }
    }
    return refused;
  }

  @Override
  public ProbeResult evaluate(Snapshot before, Snapshot after, ProbeContext ctx) {
    MetricValues m = new MetricValues();
    List<Finding> findings = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    judge(Family.V6, before.v6(), after.v6(), after, m, findings, notes);
    judge(Family.V4, before.v4(), after.v4(), after, m, findings, notes);
    int unrelated = after.unrelatedNamespaces();
    if (unrelated > UnrelatedNamespaces.MAX) {
      notes.add(
          String.format(
              "%,d namespaces on the machine are not the run's: the entries of %,d of them count as other, the rest with the pods'",
              unrelated, UnrelatedNamespaces.MAX));
    }
    return new ProbeResult(name(), m.toMap(), findings, after, notes);
  }

  private void judge(
      Family f,
      Table b,
      Table a,
      Snapshot after,
      MetricValues m,
      List<Finding> findings,
      List<String> notes) {
    FamilyMetrics fm = f.metrics();
    boolean known = a.stats().knowsTableFulls() && b.stats().knowsTableFulls();
    long fulls = known ? a.stats().tableFulls() - b.stats().tableFulls() : 0;
    Count node = after.count(Role.NODE, f);
    Count emulation = after.count(Role.EMULATION, f);
    Count other = after.count(Role.OTHER, f);
    long all = a.stats().entries();
    // the run's pods' namespaces are what the node, the emulation, the machine and the other
    // containers do not account for; the dumps and the kernel's count are read moments apart, so
    // never below zero
    long pods = Math.max(0, all - node.entries() - emulation.entries() - other.entries());
    long exempt = node.exempt() + emulation.exempt() + other.exempt();
    long gcEntries = Math.max(0, all - exempt);
    m.put(fm.entries(), all);
    m.put(fm.node(), node.entries());
    m.put(fm.pods(), pods);
    m.put(fm.emulation(), emulation.entries());
    m.put(fm.other(), other.entries());
    m.put(fm.exempt(), exempt);
    m.put(fm.gcEntries(), gcEntries);
    m.put(fm.nodeSide(), node.entries() + pods);
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
                a.gcThresh1() + " " + a.gcThresh2() + " " + a.gcThresh3()),
            Evidence.observed(
                "entries by role",
                String.format(
                    "node %,d, pods %,d, emulated switch/router %,d, machine %,d; %,d exempt"
                        + " (permanent), %,d counted against gc_thresh",
                    node.entries(),
                    pods,
                    emulation.entries(),
                    other.entries(),
                    exempt,
                    gcEntries))));
    if (known && fulls > thresholds.maxTableFulls()) {
      findings.add(
          Finding.of(
              Severity.CRITICAL,
              Cause.NEIGHBOUR_TABLE_FULL,
              "node",
              String.format(
                  "%s neighbour table full: %,d entries refused (table_fulls +%,d), %,d counted"
                      + " entries (node %,d, pods %,d), gc_thresh3 %,d",
                  f.label, fulls, fulls, gcEntries, node.entries(), pods, a.gcThresh3()),
              ev));
    } else if (a.gcThresh3() > 0 && gcEntries >= thresholds.nearLimit() * a.gcThresh3()) {
      findings.add(
          Finding.of(
              Severity.WARNING,
              Cause.NEIGHBOUR_TABLE_NEAR_LIMIT,
              "node",
              String.format(
                  "%s neighbour table near its limit: %,d counted entries of gc_thresh3 %,d",
                  f.label, gcEntries, a.gcThresh3()),
              ev));
    }
  }
}
