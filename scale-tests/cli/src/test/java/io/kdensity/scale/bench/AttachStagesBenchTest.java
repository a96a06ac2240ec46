package io.kdensity.scale.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.config.run.CniPlugin;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

  @ParameterizedTest(name = "{0} ms reads {1}")
  @CsvSource({"0.047, 0.05", "9.994, 9.99", "10.2, 10", "1829.4, 1829"})
  void aCellShowsSubMillisecondStages(double ms, String shown) {
    assertThat(AttachStagesBench.millis(ms)).isEqualTo(shown);
  }

  @Test
  void theTableCoversEachPluginWithBothIpamsAndWithoutDad() {
    assertThat(AttachStagesBench.cases())
        .hasSize(9)
        .extracting(AttachStagesBench.Case::plugin)
        .containsOnly(CniPlugin.MACVLAN, CniPlugin.BRIDGE, CniPlugin.IPVLAN);
  }
}
