package io.kdensity.probes.socket;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.probe.MetricValues;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.sysctl.Sysctl;
import java.util.ArrayList;
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

  /**
   * A MIB counter summed over the traffic namespaces, e.g. {@code Udp6 RcvbufErrors}, and its
   * metric {@code sock.udp6.RcvbufErrors} (its change over the step).
   */
  public record Counter(String group, String name, Metric metric) {
    static Counter of(String group, String name) {
      return new Counter(
          group,
          name,
          Metric.count(
              "sock." + group.toLowerCase() + "." + name, group + " " + name + " in the step"));
    }

    String key() {
      return group + "." + name;
    }
  }

  public static final Counter UDP_RCVBUF_ERRORS = Counter.of("Udp", "RcvbufErrors");
  public static final Counter UDP_SNDBUF_ERRORS = Counter.of("Udp", "SndbufErrors");
  public static final Counter UDP6_RCVBUF_ERRORS = Counter.of("Udp6", "RcvbufErrors");
  public static final Counter UDP6_SNDBUF_ERRORS = Counter.of("Udp6", "SndbufErrors");
  public static final Counter TCP_RCV_PRUNED = Counter.of("TcpExt", "RcvPruned");
  public static final Counter TCP_OFO_PRUNED = Counter.of("TcpExt", "OfoPruned");

  /** Counters summed over namespaces. */
  public static final List<Counter> COUNTERS =
      List.of(
          UDP_RCVBUF_ERRORS,
          UDP_SNDBUF_ERRORS,
          Counter.of("Udp", "InErrors"),
          Counter.of("Udp", "InDatagrams"),
          Counter.of("Udp", "MemErrors"),
          UDP6_RCVBUF_ERRORS,
          UDP6_SNDBUF_ERRORS,
          Counter.of("Udp6", "InErrors"),
          Counter.of("Udp6", "InDatagrams"),
          Counter.of("Udp6", "MemErrors"),
          Counter.of("TcpExt", "PruneCalled"),
          TCP_RCV_PRUNED,
          TCP_OFO_PRUNED,
          Counter.of("TcpExt", "TCPRcvCollapsed"));

  public static final Metric RCVBUF_ERRORS =
      Metric.count("sock.rcvbuf_errors", "UDP and UDP6 datagrams dropped on full receive buffers");
  public static final Metric SNDBUF_ERRORS =
      Metric.count("sock.sndbuf_errors", "UDP and UDP6 datagrams dropped on full send buffers");
  public static final Metric UDP_MEM_PAGES =
      new Metric("sock.udp.mem_pages", Metric.Unit.PAGES, "UDP socket memory");
  public static final Metric TCP_MEM_PAGES =
      new Metric("sock.tcp.mem_pages", Metric.Unit.PAGES, "TCP socket memory");

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

    long get(Counter c) {
      return counters.getOrDefault(c.key(), 0L);
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
  public List<Metric> metrics() {
    List<Metric> all = new ArrayList<>();
    COUNTERS.forEach(c -> all.add(c.metric()));
    all.addAll(List.of(RCVBUF_ERRORS, SNDBUF_ERRORS, UDP_MEM_PAGES, TCP_MEM_PAGES));
    return all;
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
      for (Counter k : COUNTERS) {
        sums.merge(k.key(), c.get(k.group(), k.name()), Long::sum);
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
    MetricValues m = new MetricValues();
    for (Counter k : COUNTERS) {
      m.put(k.metric(), a.get(k) - b.get(k));
    }
    m.put(UDP_MEM_PAGES, a.udpMemPages());
    m.put(TCP_MEM_PAGES, a.tcpMemPages());
    long rcv = delta(a, b, UDP_RCVBUF_ERRORS) + delta(a, b, UDP6_RCVBUF_ERRORS);
    long snd = delta(a, b, UDP_SNDBUF_ERRORS) + delta(a, b, UDP6_SNDBUF_ERRORS);
    long pruned = delta(a, b, TCP_RCV_PRUNED) + delta(a, b, TCP_OFO_PRUNED);
    m.put(RCVBUF_ERRORS, rcv);
    m.put(SNDBUF_ERRORS, snd);
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
      for (Counter c : List.of(UDP_RCVBUF_ERRORS, UDP6_RCVBUF_ERRORS, TCP_RCV_PRUNED)) {
        ev.add(Evidence.counter(c.group() + " " + c.name(), b.get(c), a.get(c)));
      }
      ev.add(Evidence.observed("limits", limits));
      boolean udp = rcv > thresholds.maxRcvbufErrors();
      findings.add(
          Finding.of(
              udp ? Severity.CRITICAL : Severity.WARNING,
              udp ? Cause.RECEIVE_BUFFER_FULL : Cause.TCP_RECEIVE_PRUNED,
              "node",
              String.format(
                  "%,d datagrams dropped on full receive buffers, %,d TCP segments pruned (%s)",
                  rcv, pruned, limits),
              ev));
    }
    if (snd > thresholds.maxSndbufErrors()) {
      findings.add(
          Finding.of(
              Severity.CRITICAL,
              Cause.SEND_BUFFER_FULL,
              "node",
              String.format(
                  "%,d datagrams dropped on full send buffers (wmem_default %s)",
                  snd, a.limits().getOrDefault("net.core.wmem_default", "?")),
              List.of(
                  Evidence.counter(
                      "Udp SndbufErrors", b.get(UDP_SNDBUF_ERRORS), a.get(UDP_SNDBUF_ERRORS)),
                  Evidence.counter(
                      "Udp6 SndbufErrors", b.get(UDP6_SNDBUF_ERRORS), a.get(UDP6_SNDBUF_ERRORS)))));
    }
    return new ProbeResult(name(), m.toMap(), findings, a);
  }

  private static long delta(Snapshot a, Snapshot b, Counter c) {
    return a.get(c) - b.get(c);
  }
}
