package io.kdensity.scale.bench;

import io.kdensity.config.run.CniPlugin;
import io.kdensity.config.run.IpamPlugin;
import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.neigh.NeighCacheStatParser;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.probes.node.LocalNodeFacts;
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.reports.model.Latency;
import io.kdensity.scale.engine.Settle;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.local.LocalNames;
import io.kdensity.scale.targets.local.LocalTarget;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The anatomy of an attach per CNI plugin on the local target: for each case (plugin of the pods'
 * second interface, IPAM, DAD in the pods on or off) and pod count, a fresh node scaled from 0 to
 * that many pods at once, each pod eth0 by ptp and net1 by the plugin, and the stages the target
 * recorded ({@link AttachStages}): the sandbox per pod, each plugin's ADD per interface and the
 * IPAM plugin's run inside it, the pod's ready time, per IPv6 address its DAD and how long after
 * its ADD it became usable, and per address the wait for its first answer in one sweep from its
 * gateway, with the neighbour resolution inside it, and the neighbour entries the kernel refused
 * meanwhile. A plugin the kernel lacks (ipvlan here) is reported as skipped, with why.
 */
public final class AttachStagesBench {
  private final Clock clock = Clock.SYSTEM;
  private final LocalShell host = new LocalShell(clock);
  private final Settle settle = new Settle(IpLossProbe.Thresholds.DEFAULT, clock);

  /** How long a case waits for its pods' addresses to leave DAD, as a plan's settle would. */
  private static final Duration SETTLE = Duration.ofSeconds(30);

  /** The IPAM of a case: host-local allocates from a range, static takes the pod's fixed ips. */
  enum Ipam {
    HOST_LOCAL(IpamPlugin.HOST_LOCAL),
    STATIC(IpamPlugin.STATIC);

    private final IpamPlugin plugin;

    Ipam(IpamPlugin plugin) {
      this.plugin = plugin;
    }

    IpamPlugin plugin() {
      return plugin;
    }
  }

  /** One case of the table. */
  record Case(CniPlugin plugin, Ipam ipam, boolean dad) {
    String label() {
      return String.format(
          "%-8s %-10s DAD %-3s",
          plugin.type(), ipam == Ipam.HOST_LOCAL ? "host-local" : "static", dad ? "on" : "off");
    }
  }

  /** The cases: every plugin with both IPAMs and DAD on, and with host-local and DAD off. */
  static List<Case> cases() {
    List<Case> out = new ArrayList<>();
    for (CniPlugin p : List.of(CniPlugin.MACVLAN, CniPlugin.BRIDGE, CniPlugin.IPVLAN)) {
      out.add(new Case(p, Ipam.HOST_LOCAL, true));
      out.add(new Case(p, Ipam.STATIC, true));
      out.add(new Case(p, Ipam.HOST_LOCAL, false));
    }
    return out;
  }

  /** The plan of a case: one network of the plugin; eth0 by ptp with the same IPAM. */
  static String plan(Case c, int concurrency) {
    boolean fixed = c.ipam() == Ipam.STATIC;
    String ipam =
        fixed ? "{type: static}" : "{type: host-local, ranges: [[{subnet: 'fd00:62:1::/64'}]]}";
    String link =
        switch (c.plugin()) {
          case MACVLAN -> "type: macvlan, master: uplink0, mode: bridge, ";
          case IPVLAN -> "type: ipvlan, master: uplink0, mode: l2, ";
          case BRIDGE -> "type: bridge, ";
          default -> throw new IllegalArgumentException("no case for " + c.plugin());
        };
    List<String> lines = new ArrayList<>();
    lines.add("name: attach-stages-bench");
    lines.add(
        "target: {type: local, local: {uplinks: 1, attachConcurrency: "
            + concurrency
            + ", teardown: fast}}");
    if (fixed) {
      lines.add("primary:");
      lines.add("  name: kd-primary");
      lines.add("  ips: ['fd00:100::/64']");
      lines.add("  config: {cniVersion: '1.0.0', type: ptp, ipam: {type: static}}");
    }
    lines.add("attachments:");
    lines.add("  - name: bench-net");
    if (fixed) {
      lines.add("    ips: ['fd00:62:1::/64']");
    }
    lines.add(
        "    config: {cniVersion: '1.0.0', "
            + link
            + (fixed ? "capabilities: {ips: true}, " : "")
            + "ipam: "
            + ipam
            + "}");
    lines.add("interfacesPerPod: 1");
    lines.add("ramp: {steps: [1]}");
    return String.join("\n", lines) + "\n";
  }

  /**
   * One case's stages, and the neighbour entries the kernel refused while it ran (both tables,
   * {@code table_fulls}): a refused entry drops the packet that needed it.
   */
  record Result(ScaleResult scale, long refused) {}

  /** The stages of one case at {@code pods} pods, brought up at once on a fresh node. */
  Result run(Case c, int pods, int concurrency) {
    Plan plan = PlanLoader.parse(plan(c, concurrency), "attach-stages-bench");
    try (LocalTarget t =
        new LocalTarget(plan, LocalNames.random(), host, LocalNodeFacts.collect(), clock)) {
      t.preflight();
      t.setUp();
      if (!c.dad()) {
        t.setPodSysctls(
            Map.of("net.ipv6.conf.all.accept_dad", "0", "net.ipv6.conf.default.accept_dad", "0"));
      }
      long refused = tableFulls();
      ScaleResult r = t.scaleTo(pods);
      // as the engine does: the DAD stages end with the settle after the change
      settle.await(t.scope(), SETTLE);
      r.stages().settled();
      // the first packet: one sweep from the gateways, as a step's traffic starts
      t.traffic(plan.traffic(), Duration.ZERO);
      refused = tableFulls() - refused;
      if (!r.findings().isEmpty()) {
        Finding f = r.findings().get(0);
        throw new InfrastructureException(
            String.format(
                "%s at %,d pods: %s",
                f.code(), r.pods(), f.message().substring(0, Math.min(160, f.message().length()))));
      }
      return new Result(r, refused);
    }
  }

  /** Entries refused so far by both neighbour tables, node-wide. */
  private long tableFulls() {
    List<NeighbourProbe.Family> families = List.of(NeighbourProbe.Family.values());
    Map<String, FileRead> stats =
        host.readFiles(families.stream().map(NeighbourProbe.Family::statFile).toList());
    long sum = 0;
    for (NeighbourProbe.Family f : families) {
      String stat = stats.get(f.statFile()).require();
      sum += Math.max(0, NeighCacheStatParser.parse(stat, f.statFile()).tableFulls());
    }
    return sum;
  }

  static String cell(Latency l) {
    return l.count() == 0
        ? "       -        "
        : String.format("%6s / %6s", millis(l.p50()), millis(l.p99()));
  }

  /** Whole milliseconds, or two decimals under 10 ms (a first answer takes tens of µs). */
  static String millis(double ms) {
    return ms < 10 ? String.format("%.2f", ms) : String.format("%.0f", ms);
  }

  /** {@code [CONCURRENCY] PODS...}: the pod counts of the table (default 100 400), 16 at a time. */
  public static void main(String[] args) {
    int concurrency = args.length > 0 ? Integer.parseInt(args[0]) : 16;
    List<Integer> sizes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      sizes.add(Integer.parseInt(args[i]));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(100, 400);
    }
    AttachStagesBench b = new AttachStagesBench();
    System.out.printf(
        "attach stages, p50 / p99 ms; pods brought up at once, %d at a time; eth0 by ptp, net1 by the plugin%n",
        concurrency);
    System.out.printf(
        "%5s  %-28s %-16s %-16s %-16s %-16s %-16s %-16s %-16s %-16s %-16s %8s %8s%n",
        "pods",
        "net1 plugin, IPAM, DAD",
        "sandbox/pod",
        "eth0 ADD (ptp)",
        "net1 ADD",
        "IPAM in an ADD",
        "pod ready",
        "DAD/address",
        "usable after ADD",
        "first answer",
        "resolution in it",
        "if/s",
        "refused");
    for (int pods : sizes) {
      for (Case c : cases()) {
        System.err.printf("[bench] %d pods, %s...%n", pods, c.label());
        try {
          Result result = b.run(c, pods, concurrency);
          ScaleResult r = result.scale();
          AttachStages s = r.stages();
          Map<CniPlugin, Latency> adds = s.adds();
          System.out.printf(
              "%5d  %-28s %-16s %-16s %-16s %-16s %-16s %-16s %-16s %-16s %-16s %8.1f %8d%n",
              pods,
              c.label(),
              cell(s.sandbox()),
              cell(adds.getOrDefault(CniPlugin.PTP, Latency.NONE)),
              cell(adds.getOrDefault(c.plugin(), Latency.NONE)),
              // eth0's and net1's: a case gives both the same IPAM
              cell(s.ipams().getOrDefault(c.ipam().plugin(), Latency.NONE)),
              cell(r.readyLatency()),
              cell(s.dad()),
              cell(s.usableAfterAttach()),
              cell(s.firstAnswer()),
              cell(s.neighbourResolution()),
              r.interfaces() / (r.elapsed().toNanos() / 1e9),
              result.refused());
        } catch (InfrastructureException e) {
          System.out.printf(
              "%5d  %-28s skipped: %s%n",
              pods, c.label(), e.getMessage().replaceAll("\\s*\n\\s*", " "));
        }
      }
    }
  }
}
