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
import io.kdensity.probes.shell.FixtureShell;
import io.micrometer.core.instrument.Clock;
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

  /** The captured /proc/stat with softirq time of the total line moved by {@code ticks}. */
  static String bumpSoftirqTime(String text, long ticks) {
    String[] lines = text.split("\n");
    String[] f = lines[0].split("\\s+");
    f[7] = Long.toString(Long.parseLong(f[7]) + ticks);
    lines[0] = f[0] + "  " + String.join(" ", java.util.Arrays.copyOfRange(f, 1, f.length));
    return String.join("\n", lines) + "\n";
  }

  /** A softirq clock that hands out the given readings in turn. */
  static SoftirqClock clock(SoftirqClock.Reading... readings) {
    java.util.Iterator<SoftirqClock.Reading> it = List.of(readings).iterator();
    return it::next;
  }

  /** A context on {@code host} whose packet softirq time comes from {@code clock}. */
  static ProbeContext traced(FixtureShell host, SoftirqClock clock) {
    ProbeScope scope =
        ProbeScope.builder(host, TestScopes.node())
            .facts(TestScopes.scope(host, host, List.of()).facts())
            .softirq(clock)
            .build();
    return new ProbeContext(scope, Runnable::run, Clock.SYSTEM);
  }

  @Test
  @DisplayName(
      "cycles per packet count only the traced NET_RX/NET_TX time, not the timers and RCU in /proc/stat")
  void backlogDropsAndTimeSqueezesPerCpuWithCyclesPerPacket() {
    FixtureShell host = TestScopes.host();
    PacketCpuProbe probe = new PacketCpuProbe(PacketCpuProbe.Thresholds.DEFAULT);
    SoftirqClock traced =
        clock(
            new SoftirqClock.Reading(SoftirqTime.ZERO, 0),
            // 0.15 s NET_RX + 0.05 s NET_TX during the step
            new SoftirqClock.Reading(new SoftirqTime(150_000_000, 50_000_000, 4000), 0));
    ProbeContext ctx = traced(host, traced);
    PacketCpuProbe.Snapshot before = probe.snapshot(ctx);
    host.file(
        "/proc/net/softnet_stat",
        bumpSoftnet(load("softnet/softnet_stat-2cpu.txt"), 1, 200_000, 17, 3));
    host.file("/proc/stat", bumpSoftirqTime(load("procstat/stat-2cpu.txt"), 50));
    PacketCpuProbe.Snapshot after = probe.snapshot(ctx);

    ProbeResult r = probe.evaluate(before, after, ctx);

    assertThat(r.metrics())
        .containsEntry("softnet.processed", 200_000.0)
        .containsEntry("softnet.dropped", 17.0)
        .containsEntry("softnet.time_squeeze", 3.0)
        .containsEntry("softirq.cpu_seconds", 0.5)
        .containsEntry("softirq.net_seconds", 0.2)
        .containsEntry("softirq.net_runs_traced", 4000.0);
    // 0.2 s of NET_RX/NET_TX at 2 GHz over 200,000 packets = 2,000 cycles per packet (all softirq
    // time, 0.5 s, would say 5,000)
    assertThat(r.metrics().get("softirq.cycles_per_packet")).isCloseTo(2000.0, within(0.001));
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
            "softirq.net_seconds", "softirq.net_runs_traced", "softirq.cycles_per_packet");
    assertThat(r.notes())
        .containsExactly(
            "the softirq trace lost 96 events (buffer full): no NET_RX/NET_TX time or cycles per packet this step");
  }

  @Test
  void aQuietStepHasNoFindings() {
    FixtureShell host = TestScopes.host();
    PacketCpuProbe probe = new PacketCpuProbe(PacketCpuProbe.Thresholds.DEFAULT);
    ProbeContext ctx =
        new ProbeContext(
            TestScopes.scope(host, new FixtureShell("n"), List.of()), Runnable::run, Clock.SYSTEM);
    PacketCpuProbe.Snapshot s = probe.snapshot(ctx);
    ProbeResult r = probe.evaluate(s, s, ctx);
    assertThat(r.findings()).isEmpty();
    assertThat(r.metrics())
        .doesNotContainKey("softirq.cycles_per_packet")
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
}
