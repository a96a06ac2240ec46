package io.kdensity.probes.drop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.probe.DropCounter;
import io.kdensity.probes.probe.DropCounter.Drops;
import io.kdensity.probes.probe.Metric;
import io.kdensity.probes.probe.Probe;
import io.kdensity.probes.probe.ProbeContext;
import io.kdensity.probes.probe.ProbeRegistry;
import io.kdensity.probes.probe.ProbeResult;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.StepProbes;
import io.kdensity.probes.probe.TestScopes;
import io.micrometer.core.instrument.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DropReasonProbeTest {
  private static final Drops BEFORE =
      new Drops(10, Map.of("CPU_BACKLOG", 2L, "NO_SOCKET", 5L, "NEIGH_FAILED", 3L));
  private static final Drops AFTER =
      new Drops(1_010, Map.of("CPU_BACKLOG", 902L, "NO_SOCKET", 55L, "NEIGH_FAILED", 3L));

  /** Returns the readings in order, as a tracefs counter read at the step's two ends would. */
  private static DropCounter readings(Drops... r) {
    Deque<Drops> queue = new ArrayDeque<>(List.of(r));
    return queue::removeFirst;
  }

  private static ProbeScope scope(DropCounter drops) {
    return ProbeScope.builder(TestScopes.host(), TestScopes.node()).drops(drops).build();
  }

  private static ProbeContext ctx(DropCounter drops) {
    return new ProbeContext(scope(drops), Runnable::run, Clock.SYSTEM);
  }

  @Test
  @DisplayName(
      "the step's drops by counted reason; the reasons not counted one by one are drops.other")
  void metricsAreTheStepsDropsByReason() {
    DropReasonProbe p = new DropReasonProbe();
    ProbeContext ctx = ctx(readings(BEFORE, AFTER));
    ProbeResult r = p.evaluate(p.snapshot(ctx), p.snapshot(ctx), ctx);
    assertThat(r.metrics())
        .containsOnly(
            entry("drops.total", 1_000.0),
            entry("drops.CPU_BACKLOG", 900.0),
            entry("drops.NO_SOCKET", 50.0),
            entry("drops.NEIGH_FAILED", 0.0),
            entry("drops.other", 50.0));
    assertThat(r.findings()).isEmpty();
    assertThat(r.notes()).isEmpty();
  }

  @Test
  @DisplayName("a total read before a reason's drop reached its own count gives no negative other")
  void otherIsNeverNegative() {
    DropReasonProbe p = new DropReasonProbe();
    Drops after = new Drops(10, Map.of("CPU_BACKLOG", 4L, "NO_SOCKET", 5L, "NEIGH_FAILED", 3L));
    ProbeResult r = p.evaluate(BEFORE, after, ctx(readings()));
    assertThat(r.metrics()).containsEntry("drops.other", 0.0).containsEntry("drops.total", 0.0);
  }

  @Test
  @DisplayName("where drops are not counted the step says why and has no drop metrics")
  void unavailableCounterIsANote() {
    DropReasonProbe p = new DropReasonProbe();
    ProbeContext ctx = ctx(DropCounter.unavailable("no tracefs on this kernel"));
    ProbeResult r = p.evaluate(p.snapshot(ctx), p.snapshot(ctx), ctx);
    assertThat(r.metrics()).isEmpty();
    assertThat(r.notes()).containsExactly("no tracefs on this kernel");
  }

  @Test
  @DisplayName("every reason's metric is declared, named drops.<REASON>")
  void everyReasonHasADeclaredMetric() {
    assertThat(new DropReasonProbe().metrics())
        .extracting(Metric::name)
        .contains("drops.total", "drops.other", "drops.CPU_BACKLOG", "drops.NEIGH_QUEUEFULL")
        .hasSize(DropReason.values().length + 2);
  }

  /** A probe that finds a full backlog and an IP loss, as the packet-CPU and IP-loss probes do. */
  private static final class Finds implements Probe<String> {
    @Override
    public String name() {
      return "finds";
    }

    @Override
    public List<Metric> metrics() {
      return List.of();
    }

    @Override
    public String snapshot(ProbeContext ctx) {
      return "";
    }

    @Override
    public ProbeResult evaluate(String before, String after, ProbeContext ctx) {
      return new ProbeResult(
          name(),
          Map.of(),
          List.of(
              Finding.of(Severity.CRITICAL, Cause.BACKLOG_FULL, "node", "backlog full", List.of()),
              Finding.of(
                  Severity.CRITICAL, Cause.LOSS_UNEXPLAINED, "pod p net1", "no answer", List.of())),
          after);
    }
  }

  @Test
  @DisplayName(
      "a finding carries the step's drops of the reasons that explain it: CPU_BACKLOG for a full backlog, nothing of NO_SOCKET or of a reason that did not move")
  void findingsCarryTheReasonsThatExplainThem() {
    ProbeScope scope = scope(readings(BEFORE, AFTER));
    try (ProbeRunner runner =
        new ProbeRunner(
            ProbeRegistry.of(List.of(new Finds(), new DropReasonProbe())), Clock.SYSTEM, 2)) {
      StepProbes step = runner.evaluate(runner.snapshot(scope), runner.snapshot(scope), scope);
      assertThat(step.findings()).hasSize(2);
      assertThat(step.findings().get(0).evidence())
          .containsExactly(
              Evidence.counter(
                  "kernel drops, reason CPU_BACKLOG",
                  2,
                  902,
                  "skb:kfree_skb: a CPU's input backlog was full (netdev_max_backlog)"));
      assertThat(step.findings().get(1).evidence()).isEmpty(); // NEIGH_FAILED did not move
    }
  }
}
