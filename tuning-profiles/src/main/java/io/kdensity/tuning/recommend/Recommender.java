package io.kdensity.tuning.recommend;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.probes.finding.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns findings into recommendations: for each bottleneck the settings (sized from the plan's
 * target density and the measured counters) or the design change that moves the knee.
 *
 * <pre>{@code
 * List<Recommendation> recs = Recommender.recommend(findings, new Recommender.Context(2000, 6, 85, 510, metrics, 2, 3.2));
 * String yaml = Recommender.profileYaml(recs, "recommended", "kernel-defaults", "run abc123");
 * }</pre>
 */
public final class Recommender {

  /**
   * What the rules size against.
   *
   * @param targetPods the density the plan aims for (its largest step)
   * @param interfacesPerPod pod interfaces including eth0
   * @param kneePods first failing pod count, 0 if none
   * @param kneeInterfaces pod interfaces at the knee
   * @param metrics metrics of the knee step (or the last step): current limits and rates
   * @param cpus logical CPUs of the node
   * @param entriesPerInterface IPv6 neighbour entries per pod interface measured at the last step
   *     the table did not cap (0 if unknown: 2 is assumed)
   */
  public record Context(
      int targetPods,
      int interfacesPerPod,
      int kneePods,
      int kneeInterfaces,
      Map<String, Double> metrics,
      int cpus,
      double entriesPerInterface) {
    public Context {
      metrics = Map.copyOf(metrics);
    }

    double metric(String k, double dflt) {
      return metrics.getOrDefault(k, dflt);
    }
  }

  private Recommender() {}

  /** Recommendations for the findings, most important first; one per recommendation id. */
  public static List<Recommendation> recommend(List<Finding> findings, Context ctx) {
    Map<FindingCode, List<Finding>> byCode =
        findings.stream()
            .collect(Collectors.groupingBy(Finding::code, LinkedHashMap::new, Collectors.toList()));
    List<Recommendation> out = new ArrayList<>();
    for (Map.Entry<FindingCode, List<Finding>> e : byCode.entrySet()) {
      Recommendation r = rule(e.getKey(), e.getValue(), ctx, byCode);
      if (r != null && out.stream().noneMatch(x -> x.id().equals(r.id()))) {
        out.add(r);
      }
    }
    out.sort(Comparator.comparingLong(Recommendation::impact).reversed());
    return out;
  }

  private static long impact(List<Finding> fs) {
    long critical = fs.stream().filter(f -> f.severity() == Severity.CRITICAL).count();
    long delta =
        fs.stream()
            .flatMap(f -> f.evidence().stream())
            .mapToLong(ev -> Math.abs(ev.delta()))
            .max()
            .orElse(0);
    return critical * 1_000_000 + Math.min(delta, 999_999) + fs.size();
  }

  private static List<String> evidence(List<Finding> fs) {
    List<String> out = new ArrayList<>();
    for (Finding f : fs.subList(0, Math.min(3, fs.size()))) {
      String at = f.step() > 0 ? "step " + f.step() + ": " : "";
      out.add(at + f.message());
      for (Evidence e : f.evidence().subList(0, Math.min(3, f.evidence().size()))) {
        out.add("  " + e);
      }
    }
    return out;
  }

  private static long pow2AtLeast(long v) {
    long p = 1024;
    while (p < v) {
      p <<= 1;
    }
    return p;
  }

  private static Recommendation rule(
      FindingCode code, List<Finding> fs, Context c, Map<FindingCode, List<Finding>> all) {
    long impact = impact(fs);
    List<String> ev = evidence(fs);
    switch (code) {
      case NEIGH_TABLE_OVERFLOW -> {
        double perIf = Math.max(2.0, c.entriesPerInterface());
        long needed = (long) Math.ceil(c.targetPods() * c.interfacesPerPod() * perIf);
        long t3 = pow2AtLeast(needed * 3 / 2);
        Map<String, String> s = new LinkedHashMap<>();
        for (String fam : List.of("ipv6", "ipv4")) {
          s.put(
              "net." + fam + ".neigh.default.gc_thresh1", Long.toString(Math.min(needed, t3 / 4)));
          s.put("net." + fam + ".neigh.default.gc_thresh2", Long.toString(t3 * 3 / 4));
          s.put("net." + fam + ".neigh.default.gc_thresh3", Long.toString(t3));
        }
        return new Recommendation(
            code.recommendation(),
            code,
            String.format("Raise the neighbour table limits to gc_thresh3 = %,d", t3),
            String.format(
                "The neighbour table is one per node, shared by every pod namespace. Each pod interface needs at least two entries (the pod's entry for its gateway, the gateway side's entry for the pod) plus link-local and multicast ones; this run measured %.1f per interface. %,d pods × %,d interfaces × %.1f = %,d entries, against gc_thresh3 = %,.0f now. The knee is at %,d pods (%,d interfaces). Sized with 1.5× headroom, rounded up to a power of two.",
                perIf,
                c.targetPods(),
                c.interfacesPerPod(),
                perIf,
                needed,
                c.metric("neigh.v6.gc_thresh3", 1024),
                c.kneePods(),
                c.kneeInterfaces()),
            ev,
            s,
            Map.of(),
            List.of(
                "Apply as a node-wide sysctl (sysctl.d drop-in or the Node Tuning Operator); it cannot be set per pod."),
            impact);
      }
      case BRIDGE_PORT_LIMIT -> {
        return new Recommendation(
            code.recommendation(),
            code,
            "Do not put more than 1,023 pods on one Linux bridge",
            "A Linux bridge holds at most 1,023 ports; the 1,024th attach fails with 'Exchange full'. A bridge-CNI network cannot carry 2,000 pods on one node.",
            ev,
            Map.of(),
            Map.of(),
            List.of(
                "Use macvlan or ipvlan networks for dense secondary interfaces (no bridge port per pod).",
                "Or split the network across several bridges (one NetworkAttachmentDefinition per 1,000 pods)."),
            impact);
      }
      case NIC_PROMISC_FALLBACK -> {
        double cpp = c.metric("softirq.cycles_per_packet", 0);
        return new Recommendation(
            code.recommendation(),
            code,
            "Stop one MAC per pod interface from pushing the NIC into promiscuous mode",
            "Each macvlan child puts its MAC in the parent NIC's unicast filter; beyond the filter size the NIC goes promiscuous and the CPU inspects every frame on the wire"
                + (cpp > 0
                    ? String.format(
                        " (measured: %,.0f CPU cycles per packet in softirq at the knee)", cpp)
                    : "")
                + ".",
            ev,
            Map.of(),
            Map.of(),
            List.of(
                "Use ipvlan (L2 or L3 mode): all pods share the NIC's MAC, the filter stays small.",
                "Or give pods SR-IOV virtual functions: each VF filters in hardware.",
                "If macvlan stays, declare the real filter size of your NIC (target.local.nicUnicastFilter) to see where the fallback starts."),
            impact);
      }
      case FDB_OVER_CAPACITY -> {
        return new Recommendation(
            code.recommendation(),
            code,
            "Keep the MAC addresses per switch below its table size",
            "Every macvlan pod interface is a MAC address the top-of-rack switch must learn; past its table size the switch floods unknown unicast to every port.",
            ev,
            Map.of(),
            Map.of(),
            List.of(
                "Use ipvlan so pods share the node's MAC.",
                "Or spread dense pods over more switch ports/nodes, or use a switch with a larger MAC table."),
            impact);
      }
      case SOFTNET_TIME_SQUEEZE -> {
        double budget = Math.max(600, 2 * c.metric("netdev_budget", 300));
        return new Recommendation(
            code.recommendation(),
            code,
            "Give NET_RX more budget and spread it over CPUs",
            "NET_RX processing stopped with packets left (time_squeeze): the per-run packet or time budget is too small for the packet rate of a dense node.",
            ev,
            Map.of(
                "net.core.netdev_budget",
                Long.toString((long) budget),
                "net.core.netdev_budget_usecs",
                "8000"),
            Map.of(),
            List.of(
                "Enable RPS on the NICs (rps_cpus mask over all "
                    + c.cpus()
                    + " CPUs) so one CPU is not the bottleneck."),
            impact);
      }
      case SOFTNET_DROPS -> {
        return new Recommendation(
            code.recommendation(),
            code,
            "Raise netdev_max_backlog",
            "Packets were dropped because a CPU's input backlog was full.",
            ev,
            Map.of("net.core.netdev_max_backlog", "16384"),
            Map.of(),
            List.of(),
            impact);
      }
      case SOCKET_RCVBUF_ERRORS -> {
        return new Recommendation(
            code.recommendation(),
            code,
            "Give sockets larger receive buffers",
            "Datagrams were dropped on full socket receive buffers: the application reads slower than bursts arrive.",
            ev,
            Map.of("net.core.rmem_default", "1048576", "net.core.rmem_max", "16777216"),
            Map.of(),
            List.of("Let applications set SO_RCVBUF up to rmem_max."),
            impact);
      }
      case SOCKET_SNDBUF_ERRORS -> {
        return new Recommendation(
            code.recommendation(),
            code,
            "Give sockets larger send buffers",
            "Datagrams were dropped on full socket send buffers.",
            ev,
            Map.of("net.core.wmem_default", "1048576", "net.core.wmem_max", "16777216"),
            Map.of(),
            List.of(),
            impact);
      }
      case IP_LOSS -> {
        boolean dad =
            fs.stream()
                .anyMatch(
                    f ->
                        f.message().contains("duplicate address detection")
                            || f.message().contains("tentative"));
        boolean unreachable = fs.stream().anyMatch(f -> f.message().contains("did not answer"));
        if (dad) {
          return new Recommendation(
              code.recommendation(),
              code,
              "Let IPAM, not DAD, guarantee unique pod addresses",
              "Pod addresses failed or stalled in duplicate address detection. IPAM already hands out unique addresses; DAD adds 1-2 s per interface and multicast solicitations at scale.",
              ev,
              Map.of(),
              Map.of("net.ipv6.conf.all.accept_dad", "0", "net.ipv6.conf.default.accept_dad", "0"),
              List.of(
                  "In Kubernetes set these per pod (securityContext.sysctls) or with the tuning CNI plugin in the NetworkAttachmentDefinition."),
              impact);
        }
        if (unreachable && all.containsKey(FindingCode.NEIGH_TABLE_OVERFLOW)) {
          return null; // follows from the neighbour overflow, which has its own recommendation
        }
        return new Recommendation(
            code.recommendation(),
            code,
            "Find out why pod addresses stop answering",
            "Configured pod addresses did not answer their gateway"
                + (unreachable ? "" : " or went missing")
                + "; no neighbour overflow explains it.",
            ev,
            Map.of(),
            Map.of(),
            List.of(
                "Check IPAM pool sizes, duplicate addresses across nodes, and the switch's MAC table."),
            impact);
      }
      case ATTACH_SLOW -> {
        return new Recommendation(
            code.recommendation(),
            code,
            "Attach interfaces faster",
            "Attaching pod interfaces took longer than the SLO allows. CNI plugins wait for IPv6 DAD on every address, and pods are set up with limited parallelism.",
            ev,
            Map.of(),
            Map.of("net.ipv6.conf.default.accept_dad", "0"),
            List.of(
                "Raise the runtime's sandbox creation parallelism (local target: target.local.attachConcurrency).",
                "Disable DAD in pod namespaces where IPAM guarantees uniqueness."),
            impact);
      }
      case ATTACH_FAILED -> {
        String msg = fs.get(0).message().toLowerCase();
        String action =
            msg.contains("no ip") || msg.contains("exhaust") || msg.contains("range")
                ? "Give the network a larger subnet: its IPAM pool is exhausted."
                : "Read the plugin's message in the evidence; kdensity passes it on unchanged.";
        return new Recommendation(
            code.recommendation(),
            code,
            "Fix failing attachments",
            "CNI ADD failed: " + fs.get(0).message(),
            ev,
            Map.of(),
            Map.of(),
            List.of(action),
            impact);
      }
      default -> {
        return null;
      }
    }
  }

  /** A profile file that applies every recommended setting, extending {@code parent}. */
  public static String profileYaml(
      List<Recommendation> recs, String name, String parent, String origin) {
    StringBuilder y = new StringBuilder();
    y.append("# Generated by kdensity recommend from ").append(origin).append(".\n");
    y.append("name: ").append(name).append('\n');
    y.append("description: Settings recommended from the findings of ").append(origin).append('\n');
    if (parent != null && !parent.isEmpty()) {
      y.append("extends: ").append(parent).append('\n');
    }
    Map<String, String[]> sys = new LinkedHashMap<>();
    Map<String, String[]> pod = new LinkedHashMap<>();
    for (Recommendation r : recs) {
      r.sysctl().forEach((k, v) -> sys.putIfAbsent(k, new String[] {v, r.title()}));
      r.podSysctl().forEach((k, v) -> pod.putIfAbsent(k, new String[] {v, r.title()}));
    }
    block(y, "sysctl", sys);
    block(y, "podSysctl", pod);
    return y.toString();
  }

  private static void block(StringBuilder y, String section, Map<String, String[]> values) {
    if (values.isEmpty()) {
      return;
    }
    y.append(section).append(":\n");
    values.forEach(
        (k, v) ->
            y.append("  ")
                .append(k)
                .append(": {value: \"")
                .append(v[0])
                .append("\", reason: \"")
                .append(v[1].replace("\"", "'"))
                .append("\"}\n"));
  }
}
