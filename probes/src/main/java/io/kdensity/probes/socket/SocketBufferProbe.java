package io.kdensity.probes.socket;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.sysctl.Sysctl;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Socket buffers: UDP and UDP6 receive/send buffer errors summed over the namespaces where traffic
 * runs, TCP prune and collapse counters, socket memory against {@code udp_mem}/{@code tcp_mem}, and
 * the buffer limits in force.
 */
public final class SocketBufferProbe implements Probe<SocketBufferProbe.Snapshot> {

  static final List<String> FILES =
      List.of(
          "/proc/net/snmp",
          "/proc/net/snmp6",
          "/proc/net/netstat",
          "/proc/net/sockstat",
          "/proc/net/sockstat6");
  static final List<String> LIMITS =
      List.of(
          "net.core.rmem_default",
          "net.core.rmem_max",
          "net.core.wmem_default",
          "net.core.wmem_max",
          "net.ipv4.udp_mem",
          "net.ipv4.tcp_mem");

  /** Counters summed over namespaces. */
  static final List<String[]> COUNTERS =
      List.of(
          new String[] {"Udp", "RcvbufErrors"},
          new String[] {"Udp", "SndbufErrors"},
          new String[] {"Udp", "InErrors"},
          new String[] {"Udp", "InDatagrams"},
          new String[] {"Udp", "MemErrors"},
          new String[] {"Udp6", "RcvbufErrors"},
          new String[] {"Udp6", "SndbufErrors"},
          new String[] {"Udp6", "InErrors"},
          new String[] {"Udp6", "InDatagrams"},
          new String[] {"Udp6", "MemErrors"},
          new String[] {"TcpExt", "PruneCalled"},
          new String[] {"TcpExt", "RcvPruned"},
          new String[] {"TcpExt", "OfoPruned"},
          new String[] {"TcpExt", "TCPRcvCollapsed"});

  /**
   * @param maxRcvbufErrors receive buffer errors tolerated per step
   * @param maxSndbufErrors send buffer errors tolerated per step
   */
  public record Thresholds(long maxRcvbufErrors, long maxSndbufErrors) {
    public static final Thresholds DEFAULT = new Thresholds(0, 0);
  }

  /**
   * @param counters {@code Group.Name} → value summed over the traffic namespaces
   * @param udpMemPages UDP socket memory in pages (sum)
   * @param tcpMemPages TCP socket memory in pages (sum)
   * @param limits sysctl key → value, as printed
   */
  public record Snapshot(
      Map<String, Long> counters, long udpMemPages, long tcpMemPages, Map<String, String> limits) {
    public Snapshot {
      counters = Map.copyOf(counters);
      limits = Map.copyOf(limits);
    }

    long get(String group, String name) {
      return counters.getOrDefault(group + "." + name, 0L);
    }
  }

  private final Thresholds thresholds;

  public SocketBufferProbe(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  @Override
  public String name() {
    return "socket-buffer";
  }

  @Override
  public Snapshot snapshot(ProbeContext ctx) {
    Map<String, Long> sums = new LinkedHashMap<>();
    long udpMem = 0;
    long tcpMem = 0;
    for (NodeShell ns : ctx.scope().socketNamespaces()) {
      Map<String, FileRead> r = ns.readFiles(FILES);
      String where = " in " + ns.describe();
      MibCounters c =
          SnmpParser.parse(r.get(FILES.get(0)).require(), FILES.get(0) + where)
              .merge(Snmp6Parser.parse(r.get(FILES.get(1)).require(), FILES.get(1) + where))
              .merge(SnmpParser.parse(r.get(FILES.get(2)).require(), FILES.get(2) + where));
      MibCounters sock = SockstatParser.parse(r.get(FILES.get(3)).require(), FILES.get(3) + where);
      for (String[] k : COUNTERS) {
        sums.merge(k[0] + "." + k[1], c.get(k[0], k[1]), Long::sum);
      }
      udpMem += sock.get("UDP", "mem");
      tcpMem += sock.get("TCP", "mem");
    }
    List<String> paths = LIMITS.stream().map(k -> new Sysctl(k).path()).toList();
    Map<String, FileRead> lr = ctx.scope().host().readFiles(paths);
    Map<String, String> limits = new LinkedHashMap<>();
    for (int i = 0; i < LIMITS.size(); i++) {
      FileRead f = lr.get(paths.get(i));
      if (f.isOk()) {
        limits.put(LIMITS.get(i), f.content().strip().replaceAll("\\s+", " "));
      }
    }
    return new Snapshot(sums, udpMem, tcpMem, limits);
  }

  @Override
  public ProbeResult evaluate(Snapshot b, Snapshot a, ProbeContext ctx) {
    Map<String, Double> m = new HashMap<>();
    for (String[] k : COUNTERS) {
      m.put(
          "sock." + k[0].toLowerCase() + "." + k[1],
          (double) (a.get(k[0], k[1]) - b.get(k[0], k[1])));
    }
    m.put("sock.udp.mem_pages", (double) a.udpMemPages());
    m.put("sock.tcp.mem_pages", (double) a.tcpMemPages());
    long rcv = delta(a, b, "Udp", "RcvbufErrors") + delta(a, b, "Udp6", "RcvbufErrors");
    long snd = delta(a, b, "Udp", "SndbufErrors") + delta(a, b, "Udp6", "SndbufErrors");
    long pruned = delta(a, b, "TcpExt", "RcvPruned") + delta(a, b, "TcpExt", "OfoPruned");
    m.put("sock.rcvbuf_errors", (double) rcv);
    m.put("sock.sndbuf_errors", (double) snd);
    List<Finding> findings = new ArrayList<>();
    String limits =
        "rmem_default "
            + a.limits().getOrDefault("net.core.rmem_default", "?")
            + ", rmem_max "
            + a.limits().getOrDefault("net.core.rmem_max", "?")
            + ", udp_mem "
            + a.limits().getOrDefault("net.ipv4.udp_mem", "?");
    if (rcv > thresholds.maxRcvbufErrors() || pruned > 0) {
      List<Evidence> ev = new ArrayList<>();
      ev.add(
          Evidence.counter(
              "Udp RcvbufErrors", b.get("Udp", "RcvbufErrors"), a.get("Udp", "RcvbufErrors")));
      ev.add(
          Evidence.counter(
              "Udp6 RcvbufErrors", b.get("Udp6", "RcvbufErrors"), a.get("Udp6", "RcvbufErrors")));
      ev.add(
          Evidence.counter(
              "TcpExt RcvPruned", b.get("TcpExt", "RcvPruned"), a.get("TcpExt", "RcvPruned")));
      ev.add(Evidence.observed("limits", limits));
      findings.add(
          new Finding(
              FindingCode.SOCKET_RCVBUF_ERRORS,
              rcv > thresholds.maxRcvbufErrors() ? Severity.CRITICAL : Severity.WARNING,
              "node",
              String.format(
                  "%,d datagrams dropped on full receive buffers, %,d TCP segments pruned (%s)",
                  rcv, pruned, limits),
              ev));
    }
    if (snd > thresholds.maxSndbufErrors()) {
      findings.add(
          new Finding(
              FindingCode.SOCKET_SNDBUF_ERRORS,
              Severity.CRITICAL,
              "node",
              String.format(
                  "%,d datagrams dropped on full send buffers (wmem_default %s)",
                  snd, a.limits().getOrDefault("net.core.wmem_default", "?")),
              List.of(
                  Evidence.counter(
                      "Udp SndbufErrors",
                      b.get("Udp", "SndbufErrors"),
                      a.get("Udp", "SndbufErrors")),
                  Evidence.counter(
                      "Udp6 SndbufErrors",
                      b.get("Udp6", "SndbufErrors"),
                      a.get("Udp6", "SndbufErrors")))));
    }
    return new ProbeResult(name(), m, findings, a);
  }

  private static long delta(Snapshot a, Snapshot b, String g, String n) {
    return a.get(g, n) - b.get(g, n);
  }
}
