package io.kdensity.scale.predict;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.Prediction.CalibrationPoint;
import io.kdensity.reports.model.Prediction.Headroom;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.plan.PlanLoader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** host-local's ranges as {@code Range.Canonicalize} and the allocator's iterator make them. */
class IpamRangesTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # ipam                                                                                                               | per pod | addresses | breaks at
          {"type":"host-local","ranges":[[{"subnet":"198.18.5.0/28"}]]}                                                        | 5 | 13  | 3
          {"type":"host-local","ranges":[[{"subnet":"198.18.5.0/28","rangeStart":"198.18.5.5","rangeEnd":"198.18.5.10"}]]}   | 1 | 6   | 7
          {"type":"host-local","ranges":[[{"subnet":"198.18.5.0/28","rangeEnd":"198.18.5.10","gateway":"198.18.5.5"}]]}      | 1 | 9   | 10
          {"type":"host-local","subnet":"198.18.5.0/29"}                                                                      | 2 | 5   | 3
          {"type":"host-local","ranges":[[{"subnet":"fd00:5::/120"}]]}                                                        | 1 | 254 | 255
          {"type":"host-local","ranges":[[{"subnet":"198.18.5.0/28"},{"subnet":"198.18.6.0/28"}],[{"subnet":"fd00:5::/64"}]]} | 2 | 26  | 14
          """)
  void aRangeRunsOut(String ipam, int perPod, long addresses, int breaksAt) {
    Headroom h =
        IpamRanges.limit(
                new Attachment("net", "{\"type\":\"macvlan\",\"ipam\":" + ipam + "}", 1), perPod, 4)
            .orElseThrow();
    assertThat(h.code()).isEqualTo(FindingCode.ATTACH_FAILED);
    assertThat(h.size()).isEqualTo(addresses);
    assertThat(h.steadyNeed()).isEqualTo(4L * perPod);
    assertThat(h.breaksFrom()).isEqualTo(breaksAt).isEqualTo(h.breaksBy());
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"type":"macvlan","ipam":{"type":"host-local","ranges":[[{"subnet":"fd00:5::/64"}]]}} | an IPv6 /64 never runs out
          {"type":"macvlan","ipam":{"type":"static"}}                                          | static addresses are the plan's
          {"type":"macvlan","ipam":{"type":"whereabouts","range":"198.18.5.0/28"}}             | whereabouts is not modelled
          {"type":"macvlan"}                                                                   | no IPAM
          """)
  void noLimit(String config, String why) {
    assertThat(IpamRanges.limit(new Attachment("net", config, 1), 1, 4))
        .as(why)
        .isEqualTo(Optional.empty());
  }

  @Test
  @DisplayName("a conflist's IPAM is its first plugin's that has one")
  void conflist() {
    String config =
        "{\"cniVersion\":\"1.0.0\",\"plugins\":[{\"type\":\"bridge\",\"ipam\":{\"type\":\"host-local\","
            + "\"ranges\":[[{\"subnet\":\"198.18.5.0/28\"}]]}},{\"type\":\"tuning\"}]}";
    assertThat(IpamRanges.limit(new Attachment("net", config, 1), 1, 4))
        .map(Headroom::size)
        .contains(13L);
  }

  @ParameterizedTest(name = "net{0}..: attachment {1} of {2}, {3} a pod → {4}")
  @CsvSource({"5, 0, 2, 3", "5, 1, 2, 2", "5, 0, 1, 5", "1, 1, 2, 0"})
  void interfacesCycleThroughTheAttachments(int perPod, int k, int n, int on) {
    assertThat(IpamRanges.interfacesOn(k, n, perPod)).isEqualTo(on);
  }

  @Test
  @DisplayName(
      "the model names a /28 of 13 addresses, five interfaces a pod on it, as the first limit: ATTACH_FAILED at 3 pods")
  void predictedFirst() {
    var plan =
        PlanLoader.parse(
            """
            name: small-range
            attachments:
              - name: sat-a
                config: '{"type": "macvlan", "master": "uplink0", "ipam": {"type": "host-local", "ranges": [[{"subnet": "198.18.5.0/28"}]]}}'
            interfacesPerPod: 5
            ramp: {steps: [1, 2, 3, 4]}
            slos:
              - {finding: ATTACH_FAILED, max: 0}
            """,
            "small-range.yaml");
    Prediction p =
        CapacityModel.predict(
            plan, List.of(new CalibrationPoint(1, Map.of()), new CalibrationPoint(2, Map.of())), 4);
    assertThat(p.firstToBreak())
        .hasValueSatisfying(
            h -> {
              assertThat(h.code()).isEqualTo(FindingCode.ATTACH_FAILED);
              assertThat(h.range()).isEqualTo("3 pods");
              assertThat(h.steadyNeed()).isEqualTo(20);
            });
    assertThat(p.unmodelled()).isEmpty();
    assertThat(p.agrees(3, 1)).isTrue();
    // it needs no calibration: a node that fails its first step still gets it
    Prediction uncalibrated = CapacityModel.predict(plan, List.of(), 4);
    assertThat(uncalibrated.calibrated()).isFalse();
    assertThat(uncalibrated.limits()).isEqualTo(p.limits());
  }
}
