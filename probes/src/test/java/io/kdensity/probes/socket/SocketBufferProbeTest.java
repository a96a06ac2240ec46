package io.kdensity.probes.socket;

import static io.kdensity.probes.Fixtures.load;
import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.probe.TestScopes;
import io.kdensity.probes.shell.FixtureShell;
import io.micrometer.core.instrument.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

class SocketBufferProbeTest {

  @Test
  void udp6ReceiveBufferErrorsAreReportedWithTheLimits() {
    FixtureShell host = TestScopes.host();
    SocketBufferProbe probe = new SocketBufferProbe(SocketBufferProbe.Thresholds.DEFAULT);
    ProbeContext ctx =
        new ProbeContext(
            TestScopes.scope(host, new FixtureShell("n"), List.of()), Runnable::run, Clock.SYSTEM);
    SocketBufferProbe.Snapshot before = probe.snapshot(ctx);
    host.file(
        "/proc/net/snmp6",
        load("snmp6/snmp6.txt").replaceFirst("Udp6RcvbufErrors\\s+0", "Udp6RcvbufErrors 4321"));
    SocketBufferProbe.Snapshot after = probe.snapshot(ctx);

    ProbeResult r = probe.evaluate(before, after, ctx);

    assertThat(r.metrics())
        .containsEntry("sock.rcvbuf_errors", 4321.0)
        .containsEntry("sock.udp6.RcvbufErrors", 4321.0)
        .containsEntry("sock.sndbuf_errors", 0.0);
    Finding f = r.findings().get(0);
    assertThat(r.findings()).hasSize(1);
    assertThat(f.code()).isEqualTo(FindingCode.SOCKET_RCVBUF_ERRORS);
    assertThat(f.severity()).isEqualTo(Severity.CRITICAL);
    assertThat(f.message())
        .isEqualTo(
            "4,321 datagrams dropped on full receive buffers, 0 TCP segments pruned (rmem_default 212992, rmem_max 4194304, udp_mem 575796 767731 1151592)");
  }

  @Test
  void countersAreSummedOverTrafficNamespaces() {
    FixtureShell host = TestScopes.host();
    FixtureShell pod = TestScopes.host();
    var scope =
        io.kdensity.probes.probe.ProbeScope.builder(host, host)
            .socketNamespaces(List.of(host, pod))
            .build();
    SocketBufferProbe probe = new SocketBufferProbe(SocketBufferProbe.Thresholds.DEFAULT);
    SocketBufferProbe.Snapshot s =
        probe.snapshot(new ProbeContext(scope, Runnable::run, Clock.SYSTEM));
    assertThat(s.counters().get("Udp.InDatagrams")).isEqualTo(2 * 36L);
    assertThat(s.tcpMemPages()).isEqualTo(2 * 62L);
  }
}
