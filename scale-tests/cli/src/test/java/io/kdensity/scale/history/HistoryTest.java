package io.kdensity.scale.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Cause;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.TestRuns;
import io.kdensity.scale.cli.Main;
import io.kdensity.scale.gate.GateTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
  @TempDir Path dir;

  /** 24 nightly runs: the knee at 100–120 pods, from run r12 at 60–80 (a kernel update, say). */
  private Path nightlies() throws Exception {
    int[] knees = {
      120, 100, 120, 120, 100, 120, 100, 120, 120, 100, 120, 100, //
      80, 60, 80, 80, 60, 80, 60, 80, 80, 60, 80, 80
    };
    for (int i = 0; i < knees.length; i++) {
      RunSummary r = GateTest.run(knees[i], 2000, Cause.NEIGHBOUR_TABLE_FULL, 200);
      RunSummary s =
          TestRuns.summary()
              .steps(r.steps())
              .knee(r.knee())
              .runId(String.format("r%05d", i))
              .started(TestRuns.T0.plusSeconds(86_400L * i))
              .build();
      // archived as CI keeps them: one folder per pipeline, written out of order
      SummaryJson.write(s, Files.createDirectories(dir.resolve("ci/" + (knees.length - i))));
    }
    return dir.resolve("ci");
  }

  @Test
  @DisplayName(
      "the knee's planted drop is found at its run, in start order, and nothing else moved")
  void findsTheChangeAtItsRun() throws Exception {
    List<History.Run> runs = History.load(List.of(nightlies()));
    assertThat(runs).extracting(History.Run::runId).first().isEqualTo("r00000");
    List<History.Change> changes = History.changes(runs, Map.of(), EDivisive.defaults());
    assertThat(changes)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.series()).isEqualTo(History.KNEE);
              assertThat(c.run().runId()).isEqualTo("r00012");
              assertThat(c.before()).isEqualTo(111.7, org.assertj.core.api.Assertions.within(0.1));
              assertThat(c.after()).isEqualTo(73.3, org.assertj.core.api.Assertions.within(0.1));
              assertThat(c.worse()).isTrue();
              assertThat(c.acknowledged()).isNull();
            });
  }

  @Test
  @DisplayName(
      "history exits 1 for an unacknowledged change for the worse, 0 once it is acknowledged")
  void anAcknowledgedChangeIsTheNewLevel() throws Exception {
    Path ci = nightlies();
    String out = dir.resolve("out").toString();
    assertThat(Main.execute("history", ci.toString(), "--out", out)).isEqualTo(1);
    assertThat(dir.resolve("out/history-knee.png")).isNotEmptyFile();
    Path ack = dir.resolve("ack.yaml");
    Files.writeString(
        ack, "acknowledged:\n  - {run: r00012, series: knee, note: \"kernel 6.18: expected\"}\n");
    assertThat(Main.execute("history", ci.toString(), "--ack", ack.toString(), "--out", out))
        .isZero();
    Files.writeString(ack, "acknowledged:\n  - {run: r00012, serie: knee}\n");
    assertThat(Main.execute("history", ci.toString(), "--ack", ack.toString(), "--out", out))
        .isEqualTo(2);
  }
}
