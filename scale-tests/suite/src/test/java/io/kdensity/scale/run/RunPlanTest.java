package io.kdensity.scale.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.config.yaml.ConfigException;
import io.kdensity.scale.plan.TargetSpec;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line's overrides of a plan, validated after they apply. */
class RunPlanTest {
  private static RunOptions options(String target) {
    return new RunOptions(
        Path.of("plans/smoke.yaml"), Path.of("out"), "", target, "", List.of(), 0, "");
  }

  @Test
  void aLocalPlanSentToAClusterNamesTheKeysToSet() {
    assertThatThrownBy(() -> RunPlan.resolve(options("kube")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("target.node: a cluster run names the node under test")
        .hasMessageContaining("found 'local'")
        .hasMessageContaining(
            "attachment 'sat-a': master \"uplink0\" is the local target's emulated NIC")
        .hasMessageContaining("attachment 'sat-b': master \"uplink1\"");
  }

  @Test
  void anUnknownTargetIsAOneLineError() {
    assertThatThrownBy(() -> RunPlan.resolve(options("kubernetes")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("--target: expected one of [local, kube], found 'kubernetes'")
        .hasMessageNotContaining("No enum constant");
  }

  @Test
  void theTargetIsReadWhateverItsCase() {
    assertThat(RunPlan.resolve(options("LOCAL")).plan().target().type())
        .isEqualTo(TargetSpec.Type.LOCAL);
  }
}
