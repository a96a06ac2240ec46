package io.kdensity.scale.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.config.run.CniPlugin;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class AttachStagesBenchTest {
  static java.util.List<AttachStagesBench.Case> cases() {
    return AttachStagesBench.cases();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void everyCaseIsAPlanOfOneNetworkOfItsPluginAndIpam(AttachStagesBench.Case c) {
    Plan p = PlanLoader.parse(AttachStagesBench.plan(c, 16), "attach-stages-bench");
    boolean fixed = c.ipam() == AttachStagesBench.Ipam.STATIC;
    assertThat(p.interfacesPerPod()).isEqualTo(1);
    assertThat(p.attachments())
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.config()).contains("\"type\":\"" + c.plugin().type() + "\"");
              assertThat(a.config())
                  .contains(fixed ? "{\"type\":\"static\"}" : "{\"type\":\"host-local\"");
              assertThat(a.ips()).hasSize(fixed ? 1 : 0);
            });
    // eth0 by ptp, with the case's IPAM when it is static
    assertThat(p.primary().config()).contains("\"type\":\"ptp\"");
    assertThat(p.primary().config().contains("\"type\":\"static\"")).isEqualTo(fixed);
  }

  @org.junit.jupiter.api.Test
  void theTableCoversEachPluginWithBothIpamsAndWithoutDad() {
    assertThat(AttachStagesBench.cases())
        .hasSize(9)
        .extracting(AttachStagesBench.Case::plugin)
        .containsOnly(CniPlugin.MACVLAN, CniPlugin.BRIDGE, CniPlugin.IPVLAN);
  }
}
