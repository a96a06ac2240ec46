package io.kdensity.probes.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.shell.FixtureShell;
import io.micrometer.core.instrument.Clock;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProbeRunnerTest {

  @Test
  @DisplayName(
      "a probe whose file is missing reports an error naming the file; the others still report")
  void oneFailingProbeDoesNotStopTheOthers() {
    FixtureShell host = TestScopes.host().removeFile("/proc/net/softnet_stat");
    FixtureShell node = TestScopes.node();
    ProbeScope scope = TestScopes.scope(host, node, List.of());
    try (ProbeRunner runner =
        new ProbeRunner(
            DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT), Clock.SYSTEM, 4)) {
      Sweep before = runner.snapshot(scope);
      Sweep after = runner.snapshot(scope);
      StepProbes step = runner.evaluate(before, after, scope);
      assertThat(step.errors())
          .singleElement()
          .isEqualTo(
              new ProbeError(
                  "packet-cpu",
                  "cannot read /proc/net/softnet_stat in fixture host: no such file"));
      assertThat(step.results())
          .extracting(ProbeResult::probe)
          .containsExactly(
              "ip-loss", "neighbour", "mac-table", "socket-buffer", "conntrack", "drops");
      assertThat(step.metrics())
          .containsEntry("neigh.v6.gc_thresh3", 1024.0)
          .containsEntry("neigh.v6.table_fulls", 0.0);
      assertThat(step.findings()).isEmpty();
    }
  }

  @Test
  @DisplayName("an unexpected kernel format is a probe error naming the file and line")
  void unexpectedFormatIsAProbeError() {
    FixtureShell host =
        TestScopes.host()
            .file("/proc/net/stat/ndisc_cache", "entries table_fulls forced_gc_runs\n1 2\n");
    ProbeScope scope = TestScopes.scope(host, TestScopes.node(), List.of());
    try (ProbeRunner runner =
        new ProbeRunner(
            DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT), Clock.SYSTEM, 2)) {
      Sweep s = runner.snapshot(scope);
      assertThat(s.errors())
          .singleElement()
          .extracting(ProbeError::message)
          .isEqualTo(
              "cannot parse /proc/net/stat/ndisc_cache line 2: expected 3 columns, found 2: '1 2'");
      assertThat(s.snapshots())
          .containsOnlyKeys(
              "ip-loss", "mac-table", "packet-cpu", "socket-buffer", "conntrack", "drops");
    }
  }

  @Test
  void rejectsDuplicateProbeNames() {
    var p =
        new io.kdensity.probes.neigh.NeighbourProbe(
            io.kdensity.probes.neigh.NeighbourProbe.Thresholds.DEFAULT);
    assertThatThrownBy(() -> ProbeRegistry.of(List.of(p, p)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("probe 'neighbour' is registered twice");
  }
}
