package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import io.kdensity.config.run.CniPlugin;
import io.kdensity.reports.model.Latency;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.kube.PodTracker.Added;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClusterStagesTest {
  private final ClusterStages stages =
      new ClusterStages(
          List.of(
              new Attachment(
                  "sat-a", "{\"type\": \"macvlan\", \"master\": \"eth1\", \"ipam\": {}}", 1),
              new Attachment(
                  "sat-b",
                  "{\"cniVersion\": \"1.0.0\", \"plugins\": [{\"type\": \"bridge\"}, {\"type\":"
                      + " \"tuning\"}]}",
                  2)));

  private static long ms(long ms) {
    return ms * 1_000_000L;
  }

  @ParameterizedTest(name = "{0} → {1}")
  @CsvSource({
    "kd-run-1/sat-a, MACVLAN",
    "sat-a, MACVLAN",
    // a conflist: its first plugin makes the interface
    "kd-run-1/sat-b, BRIDGE",
    // the cluster network, or a NAD the plan does not have
    "kd-primary, OTHER",
    "kd-run-1/sat-c, OTHER"
  })
  void pluginOfTheDelegate(String network, CniPlugin plugin) {
    assertThat(stages.plugin(network)).isEqualTo(plugin);
  }

  @Test
  @DisplayName(
      "scheduled → first AddedInterface, each later interface's ADD by its plugin (events in any order), last → network-status")
  void onePod() {
    AttachStages out = AttachStages.recorder();
    stages.record(
        ms(1000),
        ms(6200),
        List.of(
            new Added("net2", "kd-run-1/sat-b", ms(4000)),
            new Added("eth0", "kd-primary", ms(2500)),
            new Added("net1", "kd-run-1/sat-a", ms(3800))),
        out);

    assertThat(out.firstInterface().p50()).isCloseTo(1500.0, withinPercentage(0.1));
    assertThat(out.adds()).containsOnlyKeys(CniPlugin.MACVLAN, CniPlugin.BRIDGE);
    assertThat(out.adds().get(CniPlugin.MACVLAN).p50()).isCloseTo(1300.0, withinPercentage(0.1));
    assertThat(out.adds().get(CniPlugin.BRIDGE).p50()).isCloseTo(200.0, withinPercentage(0.1));
    assertThat(out.networkStatus().p50()).isCloseTo(2200.0, withinPercentage(0.1));
    // the cluster shows neither the sandbox alone nor DAD
    assertThat(out.sandbox()).isEqualTo(Latency.NONE);
    assertThat(out.dad()).isEqualTo(Latency.NONE);
  }

  @Test
  @DisplayName(
      "a milestone not seen leaves its stage out; an event seen before the pod's own watch said scheduled reads 0")
  void missingAndSkewed() {
    AttachStages out = AttachStages.recorder();
    stages.record(0, 0, List.of(new Added("eth0", "kd-primary", ms(100))), out);
    stages.record(ms(500), 0, List.of(), out);
    assertThat(out.firstInterface()).isEqualTo(Latency.NONE);
    assertThat(out.networkStatus()).isEqualTo(Latency.NONE);

    stages.record(ms(500), ms(900), List.of(new Added("eth0", "kd-primary", ms(480))), out);
    assertThat(out.firstInterface().count()).isEqualTo(1);
    assertThat(out.firstInterface().max()).isLessThan(0.01);
    assertThat(out.networkStatus().p50()).isCloseTo(420.0, withinPercentage(0.1));
  }
}
