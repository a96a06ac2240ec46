package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.config.run.AttachMode;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.BurstTolerance;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.targets.local.LocalCleanup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real kernel: {@code ramp --steady} on the default plan at stock limits, in {@code attach:
 * netlink} mode (a whole step's pods come up within a second or two, so their DAD, router
 * solicitations and MLD reports pin the most entries a bring-up can) and with a 20 s hold instead
 * of the node's 50 s, to keep the test to a few minutes.
 */
@Tag("kernel")
class SteadyStateIT {
  private static final int HOLD = 20;
  private static final int RESOLUTION = 20;

  @TempDir Path dir;

  @AfterEach
  void safetyNet() {
    LocalCleanup c = new LocalCleanup(new LocalShell());
    c.remove(c.runsPresent());
  }

  @Test
  @DisplayName(
      "ramp --steady: only a step that failed at once is held and measured again, the knee is a"
          + " held step's NEIGH_TABLE_OVERFLOW, and every burst lands on the capacity from a held node")
  void steadyStateRampAndBurstTolerance() throws Exception {
    Path plan =
        Files.writeString(
            dir.resolve("steady.yaml"),
            Files.readString(Path.of("plans/default.yaml"))
                .replace(
                    "ramp:\n  start: 20\n  step: 20\n  max: 200",
                    "ramp:\n  steps: [40, 80, 120, 160, 200]")
                .replace("resolution: 10", "resolution: " + RESOLUTION)
                .replace("cleanup: always", "cleanup: always\nsteady: {hold: " + HOLD + "s}"));
    assertThat(Files.readString(plan))
        .contains("steps: [40, 80, 120, 160, 200]", "steady: {hold: 20s}");
    Path out = dir.resolve("out");

    int exit =
        Main.execute(
            "ramp",
            "--plan",
            plan.toString(),
            "--steady",
            "--attach",
            AttachMode.NETLINK.text(),
            "--out",
            out.toString(),
            "--no-html");

    RunSummary s = SummaryJson.read(out.resolve("summary.json"));
    assertThat(exit).isEqualTo(ExitCodes.SLO_FAILED);
    assertThat(s.steady()).isNotNull();
    assertThat(s.steady().holdSeconds()).isEqualTo(HOLD);
    // a step is held exactly when its first measurement failed; a failing step was held
    for (StepOutcome o : s.steps()) {
      double held = o.metrics().get("steady.held");
      boolean noted = o.notes().stream().anyMatch(n -> n.startsWith("failed at once ("));
      assertThat(noted).as("step %d noted as held", o.index()).isEqualTo(held > 0);
      if (held > 0) {
        assertThat(held).as("step %d held", o.index()).isGreaterThanOrEqualTo(HOLD);
      }
      if (!o.passed()) {
        assertThat(held).as("failing step %d held", o.index()).isGreaterThan(0);
      }
    }
    assertThat(s.knee()).isNotNull();
    assertThat(s.knee().limiting())
        .extracting(f -> f.code())
        .contains(FindingCode.NEIGH_TABLE_OVERFLOW);
    assertThat(s.knee().firstFailingPods() - s.knee().lastPassingPods())
        .isLessThanOrEqualTo(RESOLUTION);

    BurstTolerance b = s.steady().burst();
    assertThat(b).isNotNull();
    assertThat(b.density()).isEqualTo(s.knee().lastPassingPods());
    assertThat(b.tries()).isNotEmpty();
    for (BurstTolerance.Try t : b.tries()) {
      assertThat(t.from() + t.burst()).isEqualTo(b.density());
      // bisection: every burst at most the tolerance fit, every one at least the overflow did not
      if (t.burst() <= b.tolerated()) {
        assertThat(t.refused()).as("burst of %d", t.burst()).isZero();
      } else {
        assertThat(t.refused()).as("burst of %d", t.burst()).isPositive();
        assertThat(t.burst()).isGreaterThanOrEqualTo(b.overflowed());
      }
    }
    List<Integer> bursts = b.tries().stream().map(BurstTolerance.Try::burst).toList();
    assertThat(bursts).allMatch(x -> x % RESOLUTION == 0 && x > 0 && x < b.density());
    assertThat(Files.readString(out.resolve("recommendations.md")))
        .contains("NEIGH_TABLE_OVERFLOW");
  }
}
