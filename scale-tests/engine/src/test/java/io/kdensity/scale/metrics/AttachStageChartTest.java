package io.kdensity.scale.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import io.kdensity.reports.charts.Charts;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.reports.model.TestRuns;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AttachStageChartTest {
  /** A step with these metrics and nothing else. */
  static StepOutcome step(int index, int pods, Map<String, Double> metrics) {
    TestRuns.StepBuilder b = TestRuns.step(index, pods);
    metrics.forEach(b::metric);
    return b.build();
  }

  @Test
  void oneBarPerStepThatTimedAStageOneLayerPerStage() {
    List<StepOutcome> steps =
        List.of(
            step(
                1,
                20,
                Map.of(
                    "attach.stage.sandbox.p50", 3.0,
                    "attach.stage.add.ptp.p50", 1800.0,
                    "attach.stage.add.macvlan.p50", 1750.0)),
            // netlink or a cluster: no stage timed, no bar
            step(2, 40, Map.of("attach.p50", 12.0)),
            step(
                3,
                60,
                Map.of(
                    "attach.stage.sandbox.p50",
                    4.0,
                    "attach.stage.add.macvlan.p50",
                    1900.0,
                    // static addresses: the ADD returned before DAD ended
                    "attach.stage.usable_after_add.p50",
                    1400.0,
                    "attach.stage.first_answer.p50",
                    0.2,
                    // inside the first answer: not a layer of its own
                    "attach.stage.neigh_resolve.p50",
                    0.1)));

    AttachStageChart.Data d = AttachStageChart.data(steps).orElseThrow();

    assertThat(d.title()).isEqualTo(AttachStageChart.TITLE);
    assertThat(d.steps()).containsExactly("step 01: 20 pods", "step 03: 60 pods");
    assertThat(d.stacks())
        .extracting(Charts.Stack::name)
        .containsExactly(
            "pod sandbox",
            "CNI ADD by macvlan",
            "CNI ADD by ptp",
            "DAD after the ADD",
            "first echo answered (neighbour resolution inside)");
    assertThat(d.stacks().get(3).byCategory()).containsOnly(entry("step 03: 60 pods", 1400.0));
    assertThat(d.stacks().get(4).byCategory()).containsOnly(entry("step 03: 60 pods", 0.2));
    assertThat(d.stacks().get(1).byCategory())
        .containsExactly(entry("step 01: 20 pods", 1750.0), entry("step 03: 60 pods", 1900.0));
    assertThat(d.stacks().get(2).byCategory()).containsOnlyKeys("step 01: 20 pods");
    byte[] png = AttachStageChart.of(steps).orElseThrow();
    assertThat(Arrays.copyOf(png, 4)).containsExactly(0x89, 'P', 'N', 'G');
  }

  @Test
  void aClustersStagesAreWhatTheApiShowsAndTheTitleSaysWhatIsNotVisible() {
    List<StepOutcome> steps =
        List.of(
            step(
                1,
                20,
                Map.of(
                    "attach.stage.first_interface.p50", 2100.0,
                    "attach.stage.add.macvlan.p50", 300.0,
                    "attach.stage.network_status.p50", 40.0)));

    AttachStageChart.Data d = AttachStageChart.data(steps).orElseThrow();

    assertThat(d.title()).isEqualTo(AttachStageChart.CLUSTER_TITLE).contains("IPAM and DAD");
    assertThat(d.stacks())
        .extracting(Charts.Stack::name)
        .containsExactly(
            "scheduled to the first interface",
            "CNI ADD by macvlan",
            "last interface to network-status");
  }

  @Test
  void noChartWhenNoStepTimedAStage() {
    assertThat(AttachStageChart.of(List.of(step(1, 20, Map.of("attach.p50", 12.0))))).isEmpty();
  }
}
