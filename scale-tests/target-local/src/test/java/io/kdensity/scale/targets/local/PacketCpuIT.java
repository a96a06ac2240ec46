package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.cpu.CpuTimes;
import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.cpu.ProcStatParser;
import io.kdensity.probes.node.LocalNodeFacts;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.StepProbes;
import io.kdensity.probes.probe.Sweep;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.plan.Traffic;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real kernel: the traced NET_RX/NET_TX time under a known UDP load, checked against what is exact
 * on any kernel, whatever else the machine runs.
 *
 * <p>Not against {@code /proc/stat}'s softirq column: without {@code CONFIG_IRQ_TIME_ACCOUNTING}
 * (this kernel: tick accounting, HZ 250) it is sampled at the tick, machine-wide and all vectors.
 * The references here are exact:
 *
 * <ul>
 *   <li>the trace timed every run: {@code /proc/softirqs} counts each NET_RX/NET_TX run exactly
 *       once, right before the {@code softirq_entry} tracepoint ({@code handle_softirqs} in {@code
 *       kernel/softirq.c}), so the traced runs equal its count, up to the runs in the few
 *       milliseconds between reading the counters and pausing the trace (both happen while no load
 *       runs);
 *   <li>the traced time is CPU time the machine was busy: with NO_HZ idle accounting {@code
 *       /proc/stat}'s idle and iowait are not sampled but summed from the idle entry and exit
 *       times, and a softirq that runs on an idle CPU stops that sum ({@code tick_nohz_irq_enter});
 *   <li>the packet work grows with the packets: the load triples, the traced time grows with it,
 *       and the cycles per hop stay within a factor of two (batching makes them fall a little as
 *       the rate rises; a build beside the test makes them rise a little).
 * </ul>
 */
@Tag("kernel")
class PacketCpuIT {
  /** Runs the trace may miss at the window's edges, as a share of the runs counted. */
  static final double RUN_TOLERANCE = 0.02;

  /** Plus a few runs of the timer-driven traffic of an idle window. */
  static final long RUN_SLACK = 50;

  /** /proc/stat's idle counts in USER_HZ: 10 ms per CPU, at each end of the window. */
  static final double IDLE_RESOLUTION_SECONDS = 0.01;

  private final LocalShell host = new LocalShell();
  private final LocalNames names = LocalNames.random();

  @AfterEach
  void noLeftovers() {
    new LocalCleanup(host).removeRun(names.runId());
  }

  /**
   * One measured window.
   *
   * @param netSeconds traced NET_RX/NET_TX time
   * @param tracedRuns runs the trace timed
   * @param countedRuns NET_RX + NET_TX runs counted by /proc/softirqs
   * @param busySeconds CPU time not idle, all CPUs (wall time × CPUs − idle − iowait)
   * @param processed packets processed (softnet: passes through the receive path)
   * @param delivered packets delivered to a local protocol (Ip/Ip6 InDelivers)
   * @param cycles cycles per hop
   */
  record Window(
      double netSeconds,
      double tracedRuns,
      double countedRuns,
      double busySeconds,
      double processed,
      double delivered,
      double cycles) {}

  private Window measure(LocalTarget t, ProbeRunner probes, Traffic traffic) {
    ProbeScope scope = t.scope();
    CpuTimes idle0 = cpuTotal();
    long t0 = System.nanoTime();
    Sweep before = probes.snapshot(scope);
    t.traffic(traffic, Duration.ofSeconds(2));
    Sweep after = probes.snapshot(scope);
    double wall = (System.nanoTime() - t0) / 1e9;
    CpuTimes idle1 = cpuTotal();
    StepProbes r = probes.evaluate(before, after, scope);
    assertThat(r.errors()).isEmpty();
    assertThat(r.notes()).noneMatch(n -> n.contains("lost")); // the trace buffer kept every event
    Map<String, Double> m = r.metrics();
    int cpus = Runtime.getRuntime().availableProcessors();
    double idleSeconds =
        ((idle1.idle() + idle1.iowait()) - (idle0.idle() + idle0.iowait())) / 100.0;
    return new Window(
        m.get(PacketCpuProbe.NET_SECONDS.name()),
        m.get(PacketCpuProbe.NET_RUNS_TRACED.name()),
        m.get(PacketCpuProbe.NET_RX.name()) + m.get(PacketCpuProbe.NET_TX.name()),
        wall * cpus - idleSeconds,
        m.get(PacketCpuProbe.PROCESSED.name()),
        m.get(PacketCpuProbe.DELIVERED.name()),
        m.getOrDefault(PacketCpuProbe.CYCLES_PER_HOP.name(), Double.NaN));
  }

  private CpuTimes cpuTotal() {
    return ProcStatParser.parse(host.readFile("/proc/stat"), "/proc/stat").get(0);
  }

  @Test
  @DisplayName(
      "the trace times every NET_RX/NET_TX run /proc/softirqs counts, within the CPU time the machine was busy, growing with the load at a steady cost per packet")
  void tracedPacketTimeIsExactAndFollowsTheLoad() throws Exception {
    Plan plan =
        PlanLoader.parse(
            Files.readString(Path.of("plans/smoke.yaml"))
                .replace("ramp:\n  steps: [2, 4]", "ramp:\n  steps: [2]"),
            "packet-cpu.yaml");
    try (LocalTarget t =
            new LocalTarget(plan, names, host, LocalNodeFacts.collect(), Clock.SYSTEM);
        ProbeRunner probes =
            new ProbeRunner(
                DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT), Clock.SYSTEM, 8)) {
      t.setUp();
      t.scaleTo(2);
      Traffic quiet =
          new Traffic(false, Duration.ofMillis(1), Duration.ofMillis(500), 0, 0, Traffic.Udp.OFF);
      Window idle = measure(t, probes, quiet);
      Window low = measure(t, probes, udp(quiet, 10_000));
      Window high = measure(t, probes, udp(quiet, 30_000));
      System.out.printf("packet cpu:%n  idle   %s%n  10k/s  %s%n  30k/s  %s%n", idle, low, high);

      for (Window w : new Window[] {idle, low, high}) {
        assertThat(w.tracedRuns())
            .as("runs timed vs runs counted in %s", w)
            .isBetween(
                w.countedRuns() * (1 - RUN_TOLERANCE) - RUN_SLACK,
                w.countedRuns() * (1 + RUN_TOLERANCE) + RUN_SLACK);
        int cpus = Runtime.getRuntime().availableProcessors();
        assertThat(w.netSeconds())
            .as("traced time vs the machine's busy time in %s", w)
            .isLessThanOrEqualTo(w.busySeconds() + 2 * cpus * IDLE_RESOLUTION_SECONDS);
      }
      // 2 s × 30,000 datagrams, each delivered once to its sink's UDP, after two passes through
      // the receive path: the uplink's, whose macvlan handler hands it on (RX_HANDLER_ANOTHER),
      // and the pod interface's (__netif_receive_skb_core counts softnet processed per round)
      assertThat(high.delivered()).isBetween(60_000 * 0.97, 60_000 * 1.03 + RUN_SLACK);
      assertThat(high.processed() / high.delivered()).isBetween(1.9, 2.1);
      double lowExtra = low.netSeconds() - idle.netSeconds();
      double highExtra = high.netSeconds() - idle.netSeconds();
      assertThat(lowExtra).isPositive();
      // three times the packets: more than half again the time, at most the time of four
      assertThat(highExtra).isBetween(lowExtra * 1.5, lowExtra * 4.5);
      assertThat(high.cycles()).isBetween(low.cycles() / 2, low.cycles() * 2);
    }
  }

  private static Traffic udp(Traffic t, int rate) {
    // a receive buffer big enough that the sinks drop nothing: the load is what it says
    return new Traffic(
        t.reachability(),
        t.pingInterval(),
        t.pingTimeout(),
        t.pingRetries(),
        0,
        Traffic.Udp.steady(2, rate, 200, 8 << 20));
  }
}
