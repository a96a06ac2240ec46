package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.shell.LocalShell;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.targets.local.LocalCleanup;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real kernel: {@code ramp --trials N} runs N searches and answers with the median and range. */
@Tag("kernel")
class TrialsIT {
  @TempDir Path dir;

  @AfterEach
  void safetyNet() {
    LocalCleanup c = new LocalCleanup(new LocalShell());
    c.remove(c.runsPresent());
  }

  @Test
  @DisplayName(
      "ramp --trials 2: two full ramps in trial-1 and trial-2, summary.json the median trial's with both knees, the answer with the median and range")
  void twoTrials() throws Exception {
    // the smoke plan failing above 3 pods (an SLO on the pod count): a knee at 4 in each trial
    Path plan =
        Files.writeString(
            dir.resolve("plan.yaml"),
            Files.readString(Path.of("plans/smoke.yaml"))
                .replace(
                    "bisect:\n  enabled: false",
                    "slos: [{metric: pods, max: 3}]\nbisect:\n  enabled: false"));
    assertThat(Files.readString(plan)).contains("slos: [{metric: pods, max: 3}]");
    Path out = dir.resolve("out");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream was = System.out;
    int exit;
    try {
      System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
      exit =
          Main.execute(
              "ramp",
              "--plan",
              plan.toString(),
              "--out",
              out.toString(),
              "--no-html",
              "--trials",
              "2");
    } finally {
      System.setOut(was);
    }

    String text = printed.toString(StandardCharsets.UTF_8);
    assertThat(exit).as(text).isEqualTo(ExitCodes.SLO_FAILED);
    assertThat(out.resolve("trial-1/summary.json")).exists();
    assertThat(out.resolve("trial-2/summary.json")).exists();
    RunSummary s = SummaryJson.read(out.resolve("summary.json"));
    assertThat(s.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(s.trials())
        .extracting(RunSummary.Trial::firstFailingPods, RunSummary.Trial::summary)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(4, "trial-1/summary.json"),
            org.assertj.core.groups.Tuple.tuple(4, "trial-2/summary.json"));
    assertThat(text)
        .contains("[kdensity] trial 1 of 2", "[kdensity] trial 2 of 2")
        .contains("knee at 4 pods (median of 2 trials: all 4) × 2 interfaces");
  }
}
