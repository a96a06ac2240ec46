package io.kdensity.scale.targets.local;

import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.RunningProcess;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.TrafficResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The optional UDP load of a step: sinks in the first pods (on their {@code net1} address), a
 * sender in the fabric, each a small JVM ({@link UdpAgent}) started in its namespace. Datagrams
 * cross the uplink, the softnet backlog and the sockets, so softnet and socket-buffer counters
 * move. Steady: rate × hold seconds datagrams; incast: a burst of perPod × pods datagrams each
 * second of the hold.
 */
final class UdpLoad {
  private static final Pattern SENT = Pattern.compile("sent (\\d+) failed (\\d+)");

  /** The sinks' UDP port. */
  static final int PORT = 9999;

  private final LocalShell host;
  private final String fabric;

  UdpLoad(LocalShell host, String fabricNamespace) {
    this.host = host;
    this.fabric = fabricNamespace;
  }

  TrafficResult.Udp run(Traffic.Udp udp, List<LocalPod> pods, Duration hold) {
    long seconds = Math.max(1, hold.toSeconds());
    List<RunningProcess> procs = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    try {
      for (LocalPod p : pods.stream().limit(udp.pods()).toList()) {
        Optional<String> addr = net1Ipv6(p);
        if (addr.isEmpty()) {
          continue;
        }
        RunningProcess sink =
            agent(
                p.name(),
                "sink",
                Integer.toString(PORT),
                Integer.toString(udp.rcvbuf()),
                // outlives the sender, which is bounded by the same seconds
                Long.toString(seconds + 5),
                Integer.toString(udp.readRate()),
                Integer.toString(udp.readBurst()));
        procs.add(sink);
        if (!"ready".equals(sink.readLine())) {
          throw new InfrastructureException(
              "the UDP sink in " + p.name() + " did not start: " + sink.stderr().strip());
        }
        targets.add(addr.get());
      }
      if (targets.isEmpty()) {
        return TrafficResult.Udp.NONE;
      }
      boolean incast = udp.pattern() == Traffic.UdpPattern.INCAST;
      List<String> send =
          new ArrayList<>(
              List.of(
                  incast ? "burst" : "send",
                  // incast: every pod of the step adds perPod datagrams to each second's burst
                  Integer.toString(incast ? udp.perPod() * pods.size() : udp.rate()),
                  Integer.toString(udp.payload()),
                  Long.toString(seconds),
                  Integer.toString(PORT)));
      send.addAll(targets);
      RunningProcess sender = agent(fabric, send.toArray(String[]::new));
      procs.add(sender);
      String line = sender.readLine();
      sender.waitFor(Duration.ofSeconds(seconds + 30));
      Matcher m = line == null ? null : SENT.matcher(line.strip());
      if (m == null || !m.matches()) {
        throw new InfrastructureException(
            "the UDP sender in " + fabric + " did not report: " + sender.stderr().strip());
      }
      return new TrafficResult.Udp(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
    } finally {
      procs.forEach(RunningProcess::close);
    }
  }

  private static Optional<String> net1Ipv6(LocalPod p) {
    return p.interfaces().stream()
        .filter(i -> i.ifname().equals("net1"))
        .map(PodInterface::addresses)
        .flatMap(List::stream)
        .filter(a -> a.contains(":"))
        .findFirst();
  }

  /** {@link UdpAgent} in a small JVM of this one's kind, inside namespace {@code ns}. */
  private RunningProcess agent(String ns, String... args) {
    String javaBin = ProcessHandle.current().info().command().orElse("java");
    List<String> argv =
        new ArrayList<>(
            List.of(
                javaBin,
                "-Xmx32m",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                UdpAgent.class.getName()));
    argv.addAll(List.of(args));
    return new NetnsShell(ns, host).start(Command.of(argv));
  }
}
