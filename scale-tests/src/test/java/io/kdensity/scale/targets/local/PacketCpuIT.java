package io.kdensity.scale.targets.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.DefaultProbes;
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
 * Real kernel: the traced NET_RX/NET_TX time under a known UDP load is the extra softirq time the
 * load causes, as /proc/stat's tick-sampled softirq column shows it against an idle window of the
 * same length; and the cycles per packet it yields hold steady as the rate triples.
 */
@Tag("kernel")
class PacketCpuIT {
  /** How far the traced time may lie from the tick-sampled one (HZ 250, ~2.5 s windows). */
  static final double TOLERANCE = 0.35;

  /** Plus two USER_HZ ticks: /proc/stat counts in 10 ms, and the idle window has noise too. */
  static final double SLACK_SECONDS = 0.02;

  private final LocalShell host = new LocalShell();
  private final LocalNames names = LocalNames.random();

  @AfterEach
  void noLeftovers() {
    new LocalCleanup(host).removeRun(names.runId());
  }

  record Window(double netSeconds, double softirqSeconds, double processed, double cycles) {}

  private static Window measure(LocalTarget t, ProbeRunner probes, Traffic traffic) {
    ProbeScope scope = t.scope();
    Sweep before = probes.snapshot(scope);
    t.traffic(traffic, Duration.ofSeconds(2));
    StepProbes r = probes.evaluate(before, probes.snapshot(scope), scope);
    assertThat(r.errors()).isEmpty();
    Map<String, Double> m = r.metrics();
    return new Window(
        m.get("softirq.net_seconds"),
        m.get("softirq.cpu_seconds"),
        m.get("softnet.processed"),
        m.getOrDefault("softirq.cycles_per_packet", Double.NaN));
  }

  @Test
  @DisplayName(
      "traced NET_RX/NET_TX time matches the extra softirq time of a known UDP load (±35%), and cycles per packet hold as the rate triples")
  void tracedPacketTimeMatchesTheLoad() throws Exception {
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
      double tracedExtra = high.netSeconds() - idle.netSeconds();
      double sampledExtra = high.softirqSeconds() - idle.softirqSeconds();
      System.out.printf(
          "packet cpu: idle %s%n  10k/s %s%n  30k/s %s%n  extra at 30k/s: traced %.3f s, /proc/stat %.3f s%n",
          idle, low, high, tracedExtra, sampledExtra);
      assertThat(high.processed()).isGreaterThan(60_000); // 2 s × 30,000 datagrams, one hop or more
      assertThat(tracedExtra)
          .isBetween(
              sampledExtra * (1 - TOLERANCE) - SLACK_SECONDS,
              sampledExtra * (1 + TOLERANCE) + SLACK_SECONDS);
      assertThat(high.cycles()).isBetween(low.cycles() / 1.5, low.cycles() * 1.5);
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
