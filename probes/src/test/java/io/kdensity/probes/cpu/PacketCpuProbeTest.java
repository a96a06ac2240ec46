package io.kdensity.probes.cpu;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.SoftirqClock;
import io.kdensity.probes.probe.SoftirqTime;
import io.kdensity.probes.probe.TestScopes;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.probes.shell.LocalShell;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PacketCpuProbeTest {

  /** The captured softnet_stat with CPU {@code cpu}'s columns moved by the given amounts. */
  static String bumpSoftnet(String text, int cpu, long processed, long dropped, long squeeze) {
    String[] rows = text.split("\n");
    String[] f = rows[cpu].split(" ");
    f[0] = String.format("%08x", Long.parseLong(f[0], 16) + processed);
    f[1] = String.format("%08x", Long.parseLong(f[1], 16) + dropped);
    f[2] = String.format("%08x", Long.parseLong(f[2], 16) + squeeze);
    rows[cpu] = String.join(" ", f);
    return String.join("\n", rows) + "\n";
  }

  /** The captured softnet_stat with CPU {@code cpu}'s received_rps column moved by {@code n}. */
  static String bumpRps(String text, int cpu, long n) {
    String[] rows = text.split("\n");
    String[] f = rows[cpu].split(" ");
    f[9] = String.format("%08x", Long.parseLong(f[9], 16) + n);
    rows[cpu] = String.join(" ", f);
    return String.join("\n", rows) + "\n";
  }

  /** The captured /proc/stat with softirq time of the total line moved by {@code ticks}. */
  static String bumpSoftirqTime(String text, long ticks) {
    String[] lines = text.split("\n");
    String[] f = lines[0].split("\\s+");
    f[7] = Long.toString(Long.parseLong(f[7]) + ticks);
    lines[0] = f[0] + "  " + String.join(" ", java.util.Arrays.copyOfRange(f, 1, f.length));
    return String.join("\n", lines) + "\n";
  }

  /** The captured /proc/cpuinfo with every CPU's {@code cpu MHz} set to {@code mhz}. */
  static String clockAt(double mhz) {
    return load("cpuinfo/cpuinfo-2cpu.txt")
        .replaceAll("(?m)^cpu MHz\\s*:.*$", String.format("cpu MHz\t\t: %.3f", mhz));
  }

  /** {@code shell}'s answer to the count of delivered packets: its own two files' values. */
  static FixtureShell delivering(FixtureShell shell, long v4, long v6) {
    return shell.command(
        Command.of("xargs", "awk", DeliveredPackets.AWK).display(),
        "/proc/net/snmp " + v4 + "\n/proc/net/snmp6 " + v6 + "\n");
  }

  /** A softirq clock that hands out the given readings in turn. */
  static SoftirqClock clock(SoftirqClock.Reading... readings) {
    java.util.Iterator<SoftirqClock.Reading> it = List.of(readings).iterator();
    return it::next;
  }

  /** A context on {@code host} whose packet softirq time comes from {@code clock}. */
  static ProbeContext traced(FixtureShell host, SoftirqClock clock) {
    delivering(host, 5551, 1);
    ProbeScope scope =
        ProbeScope.builder(host, delivering(TestScopes.node(), 0, 0))
            .facts(TestScopes.scope(host, host, List.of()).facts())
            .softirq(clock)
            .build();
    return new ProbeContext(scope, Runnable::run, Clock.SYSTEM);
  }

  @Test
  @DisplayName(
      "cycles per hop and per delivered packet count only the traced NET_RX/NET_TX time, not the timers and RCU in /proc/stat, at the clock the CPUs ran at")
  void backlogDropsAndTimeSqueezesPerCpuWithCyclesPerPacket() {
    FixtureShell host = TestScopes.host();
    PacketCpuProbe probe = new PacketCpuProbe(PacketCpuProbe.Thresholds.DEFAULT);
    SoftirqClock traced =
        clock(
            new SoftirqClock.Reading(SoftirqTime.ZERO, 0),
            // 0.15 s NET_RX + 0.05 s NET_TX during the step
            new SoftirqClock.Reading(new SoftirqTime(150_000_000, 50_000_000, 4000), 0));
    ProbeContext ctx = traced(host, traced);
    host.file("/proc/cpuinfo", clockAt(1800));
    PacketCpuProbe.Snapshot before = probe.snapshot(ctx);
    host.file(
        "/proc/net/softnet_stat",
        bumpSoftnet(load("softnet/softnet_stat-2cpu.txt"), 1, 200_000, 17, 3));
    host.file("/proc/stat", bumpSoftirqTime(load("procstat/stat-2cpu.txt"), 50));
    delivering(host, 5551 + 60_000, 1 + 40_000);
    host.file("/proc/cpuinfo", clockAt(2200));
    PacketCpuProbe.Snapshot after = probe.snapshot(ctx);

    ProbeResult r = probe.evaluate(before, after, ctx);

    assertThat(r.metrics())
        .containsEntry("softnet.processed", 200_000.0)
        .containsEntry("softnet.dropped", 17.0)
        .containsEntry("softnet.time_squeeze", 3.0)
        .containsEntry("softirq.cpu_seconds", 0.5)
        .containsEntry("softirq.net_seconds", 0.2)
        .containsEntry("softirq.net_runs_traced", 4000.0);
    // the CPUs ran at 1.8 GHz at the first probe and 2.2 GHz at the second: 2 GHz on average (the
    // fixture's maximum, from OSHI, is not what they ran at)
    assertThat(r.metrics().get("softirq.clock_mhz")).isCloseTo(2000.0, within(0.001));
    // 0.2 s of NET_RX/NET_TX at 2 GHz over 200,000 passes through the receive path = 2,000 cycles
    // per hop (all softirq time, 0.5 s, would say 5,000); 100,000 packets were delivered, each
    // after two hops (60,000 over IPv4, 40,000 over IPv6): 4,000 cycles per packet delivered
    assertThat(r.metrics().get("softirq.cycles_per_hop")).isCloseTo(2000.0, within(0.001));
    assertThat(r.metrics()).containsEntry("packets.delivered", 100_000.0);
    assertThat(r.metrics().get("softirq.cycles_per_delivered")).isCloseTo(4000.0, within(0.001));
    assertThat(r.notes()).isEmpty();
    assertThat(r.findings())
        .extracting(Finding::code)
        .containsExactly(FindingCode.SOFTNET_DROPS, FindingCode.SOFTNET_TIME_SQUEEZE);
    assertThat(r.findings().get(0).evidence())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.what()).isEqualTo("softnet_stat cpu1 dropped");
              assertThat(e.delta()).isEqualTo(17);
            });
  }

  @Test
  @DisplayName(
      "a trace that overwrote events publishes no NET_RX/NET_TX time and no cycles per packet, and says why")
  void aTraceThatLostEventsPublishesNoFigure() {
    FixtureShell host = TestScopes.host();
    PacketCpuProbe probe = new PacketCpuProbe(PacketCpuProbe.Thresholds.DEFAULT);
    SoftirqClock traced =
        clock(
            new SoftirqClock.Reading(SoftirqTime.ZERO, 0),
            new SoftirqClock.Reading(new SoftirqTime(150_000_000, 50_000_000, 4000), 96));
    ProbeContext ctx = traced(host, traced);
    PacketCpuProbe.Snapshot before = probe.snapshot(ctx);
    host.file(
        "/proc/net/softnet_stat",
        bumpSoftnet(load("softnet/softnet_stat-2cpu.txt"), 1, 200_000, 0, 0));
    ProbeResult r = probe.evaluate(before, probe.snapshot(ctx), ctx);
    assertThat(r.metrics())
        .containsEntry("softnet.processed", 200_000.0)
        .doesNotContainKeys(
            "softirq.net_seconds",
            "softirq.net_runs_traced",
            "softirq.cycles_per_hop",
            "softirq.cycles_per_delivered");
    assertThat(r.notes())
        .containsExactly(
            "the softirq trace lost 96 events (buffer full): no NET_RX/NET_TX time or cycles this step");
  }

  @Test
  void aQuietStepHasNoFindings() {
    FixtureShell host = delivering(TestScopes.host(), 5551, 1);
    PacketCpuProbe probe = new PacketCpuProbe(PacketCpuProbe.Thresholds.DEFAULT);
    ProbeContext ctx =
        new ProbeContext(
            TestScopes.scope(host, delivering(new FixtureShell("n"), 0, 0), List.of()),
            Runnable::run,
            Clock.SYSTEM);
    PacketCpuProbe.Snapshot s = probe.snapshot(ctx);
    ProbeResult r = probe.evaluate(s, s, ctx);
    assertThat(r.findings()).isEmpty();
    assertThat(r.metrics())
        .doesNotContainKeys("softirq.cycles_per_hop", "softirq.cycles_per_delivered")
        .containsEntry("softnet.processed", 0.0);
    // without a trace there is no packet figure, and the step says why
    assertThat(r.notes())
        .singleElement()
        .asString()
        .startsWith("NET_RX/NET_TX time is not traced on this target");
  }

  @Test
  @DisplayName("softnet counters that wrap during the step are their increase, not drops")
  void wrappedCountersAreNotDrops() {
    FixtureShell host =
        TestScopes.host()
            .file("/proc/net/softnet_stat", load("softnet/softnet_stat-wrapping-before.txt"));
    PacketCpuProbe probe = new PacketCpuProbe(PacketCpuProbe.Thresholds.DEFAULT);
    ProbeContext ctx =
        new ProbeContext(
            TestScopes.scope(host, new FixtureShell("n"), List.of()), Runnable::run, Clock.SYSTEM);
    PacketCpuProbe.Snapshot before = probe.snapshot(ctx);
    host.file("/proc/net/softnet_stat", load("softnet/softnet_stat-wrapping-after.txt"));

    ProbeResult r = probe.evaluate(before, probe.snapshot(ctx), ctx);

    // cpu0 processed fffffff0 → 00000010 (+0x20), cpu1 00001000 → 00001005 (+5);
    // cpu0 time_squeeze ffffffff → 00000001 (+2); nothing dropped
    assertThat(r.metrics())
        .containsEntry("softnet.processed", 37.0)
        .containsEntry("softnet.time_squeeze", 2.0)
        .containsEntry("softnet.dropped", 0.0);
    assertThat(r.findings())
        .extracting(Finding::code)
        .containsExactly(FindingCode.SOFTNET_TIME_SQUEEZE);
  }

  @Test
  @DisplayName(
      "a kernel whose /proc/cpuinfo has no cpu MHz (e.g. arm64) gives cycles at the CPU's maximum, and says so")
  void noCpuMhzFallsBackToTheMaximum() {
    FixtureShell host = TestScopes.host();
    host.file("/proc/cpuinfo", "processor\t: 0\nBogoMIPS\t: 50.00\n\n");
    PacketCpuProbe probe = new PacketCpuProbe(PacketCpuProbe.Thresholds.DEFAULT);
    ProbeContext ctx =
        traced(
            host,
            clock(
                new SoftirqClock.Reading(SoftirqTime.ZERO, 0),
                new SoftirqClock.Reading(new SoftirqTime(100_000_000, 0, 10), 0)));
    PacketCpuProbe.Snapshot before = probe.snapshot(ctx);
    host.file(
        "/proc/net/softnet_stat",
        bumpSoftnet(load("softnet/softnet_stat-2cpu.txt"), 0, 100_000, 0, 0));
    ProbeResult r = probe.evaluate(before, probe.snapshot(ctx), ctx);
    double max = ctx.scope().facts().cpuMaxHz() / 1e6;
    assertThat(r.metrics().get("softirq.clock_mhz")).isCloseTo(max, within(0.001));
    assertThat(r.metrics().get("softirq.cycles_per_hop"))
        .isCloseTo(0.1 * max * 1e6 / 100_000, within(0.001));
    assertThat(r.notes())
        .containsExactly("/proc/cpuinfo reports no cpu MHz: cycles at the CPU's maximum clock");
  }

  @Test
  void cpuMhzIsTheMeanOverTheCpus() {
    assertThat(CpuClock.meanMhz("cpu MHz\t\t: 1000.000\nx\ncpu MHz\t\t: 3000.500\n"))
        .isCloseTo(2000.25, within(1e-9));
    assertThat(CpuClock.meanMhz(load("cpuinfo/cpuinfo-2cpu.txt"))).isPositive();
    assertThat(CpuClock.meanMhz("model name\t: x\n")).isZero();
  }

  @Test
  @DisplayName(
      "the awk that reads InDelivers finds them in a real /proc/net/snmp and snmp6 (the captured ones)")
  void theAwkReadsTheCapturedCounters() throws Exception {
    Path snmp = Path.of(PacketCpuProbeTest.class.getResource("/fixtures/snmp/snmp.txt").toURI());
    Path snmp6 = Path.of(PacketCpuProbeTest.class.getResource("/fixtures/snmp6/snmp6.txt").toURI());
    Command awk =
        Command.of("xargs", "awk", DeliveredPackets.AWK).withStdin(snmp + "\n" + snmp6 + "\n");
    assertThat(DeliveredPackets.parse(new LocalShell().run(awk).stdout(), "awk"))
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of(snmp.toString(), 5551L, snmp6.toString(), 1L));
  }

  @Test
  void deliveriesAreCountedOverTheNamespacesReadAtBothEnds() {
    assertThat(
            DeliveredPackets.between(
                java.util.Map.of("pod a", 10L, "pod b", 5L, "ns node", 100L),
                java.util.Map.of("pod a", 15L, "pod c", 7L, "ns node", 130L)))
        .isEqualTo(5 + 30);
  }

  @Test
  @DisplayName(
      "backlog drops on a CPU that RPS steered packets to name RPS, with that CPU's received_rps as evidence")
  void dropsOnAnRpsTargetCpuNameRps() {
    FixtureShell host = TestScopes.host();
    PacketCpuProbe probe = new PacketCpuProbe(PacketCpuProbe.Thresholds.DEFAULT);
    ProbeContext ctx =
        traced(
            host,
            clock(
                new SoftirqClock.Reading(SoftirqTime.ZERO, 0),
                new SoftirqClock.Reading(SoftirqTime.ZERO, 0),
                new SoftirqClock.Reading(SoftirqTime.ZERO, 0),
                new SoftirqClock.Reading(SoftirqTime.ZERO, 0)));
    PacketCpuProbe.Snapshot before = probe.snapshot(ctx);
    // CPU 0 steers to CPU 1 (it woke CPU 1 900 times) and CPU 1's backlog drops 40
    String steered =
        bumpRps(bumpSoftnet(load("softnet/softnet_stat-2cpu.txt"), 1, 50_000, 40, 0), 1, 900);
    host.file("/proc/net/softnet_stat", steered);
    ProbeResult r = probe.evaluate(before, probe.snapshot(ctx), ctx);
    assertThat(r.metrics()).containsEntry("softnet.received_rps", 900.0);
    assertThat(r.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.code()).isEqualTo(FindingCode.SOFTNET_DROPS);
              assertThat(f.message()).contains("RPS steered packets to the dropping CPU");
              assertThat(f.evidence())
                  .extracting(e -> e.what())
                  .containsExactly("softnet_stat cpu1 dropped", "softnet_stat cpu1 received_rps");
            });

    // drops where RPS steered nothing say nothing of RPS
    PacketCpuProbe.Snapshot quiet = probe.snapshot(ctx);
    // CPU 1 is woken again but drops nothing; CPU 0, which RPS did not steer to, drops 7
    host.file("/proc/net/softnet_stat", bumpRps(bumpSoftnet(steered, 0, 60_000, 7, 0), 1, 900));
    ProbeResult plain = probe.evaluate(quiet, probe.snapshot(ctx), ctx);
    assertThat(plain.findings())
        .singleElement()
        .satisfies(f -> assertThat(f.message()).doesNotContain("RPS"));
  }
}
