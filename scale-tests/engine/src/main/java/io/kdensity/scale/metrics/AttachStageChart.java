package io.kdensity.scale.metrics;

import io.kdensity.reports.charts.Charts;
import io.kdensity.reports.model.StepOutcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The attach's stages step by step, as a stacked bar per step: the median of each stage the target
 * timed ({@link EngineMetrics#TO_FIRST_ANSWER}): the sandbox, each plugin's ADD, the wait for DAD
 * after the ADD, and the first echo the new addresses answered. A pod's ADDs run one after another,
 * so a layer that grows is the stage that grows with density. On a cluster the layers are what the
 * API shows (scheduled → first interface, each later ADD, → network-status), and the title says
 * what is inside them and not visible.
 */
public final class AttachStageChart {
  /** The chart's attachment name. */
  public static final String FILE_NAME = "attach-stages.png";

  static final String TITLE =
      "Attach stages per step (median of each; a pod's ADDs run one after another)";
  static final String CLUSTER_TITLE =
      "Attach stages per step as the API shows them (median of each; the sandbox alone, IPAM and"
          + " DAD inside them and the first answer after them are not visible from the API)";

  /** The stages only a cluster's API gives: a chart with one of them is a cluster's. */
  private static final Set<EngineMetrics.Latency> API_STAGES =
      Set.of(EngineMetrics.STAGE_FIRST_INTERFACE, EngineMetrics.STAGE_NETWORK_STATUS);

  private AttachStageChart() {}

  /**
   * What the chart shows.
   *
   * @param title the chart's title: on a cluster it names the stages not visible
   * @param steps one bar per step that timed a stage, in the order the steps ran
   * @param stacks one layer per stage that any step timed: its p50 (ms) by step
   */
  public record Data(String title, List<String> steps, List<Charts.Stack> stacks) {}

  /** The bars and layers of these steps; empty when no step timed a stage (a cluster, netlink). */
  public static Optional<Data> data(List<StepOutcome> steps) {
    List<String> bars = new ArrayList<>();
    Map<String, Map<String, Double>> layers = new LinkedHashMap<>();
    boolean api = false;
    for (StepOutcome o : steps) {
      String bar = String.format("step %02d: %,d pods", o.index(), o.pods());
      boolean timed = false;
      for (Map.Entry<String, EngineMetrics.Latency> e : EngineMetrics.TO_FIRST_ANSWER.entrySet()) {
        Double p50 = o.metrics().get(e.getValue().p50().name());
        if (p50 != null) {
          layers.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>()).put(bar, p50);
          timed = true;
          api |= API_STAGES.contains(e.getValue());
        }
      }
      if (timed) {
        bars.add(bar);
      }
    }
    if (bars.isEmpty()) {
      return Optional.empty();
    }
    List<Charts.Stack> stacks = new ArrayList<>();
    layers.forEach((name, byStep) -> stacks.add(new Charts.Stack(name, byStep)));
    return Optional.of(new Data(api ? CLUSTER_TITLE : TITLE, bars, stacks));
  }

  /** The chart as PNG bytes; empty when no step timed a stage. */
  public static Optional<byte[]> of(List<StepOutcome> steps) {
    return data(steps).map(d -> Charts.stackedBars(d.title(), "step", "ms", d.steps(), d.stacks()));
  }
}
