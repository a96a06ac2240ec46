package io.kdensity.scale.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.tuning.yaml.ConfigError;
import io.kdensity.tuning.yaml.ConfigException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PlanLoaderTest {

  @Nested
  @DisplayName("the shipped plans")
  class Shipped {
    @Test
    void defaultPlanRampsToTwoHundredPodsAtKernelDefaults() {
      Plan p = PlanLoader.load(Path.of("plans/default.yaml"));
      assertThat(p.ramp().steps()).containsExactly(20, 40, 60, 80, 100, 120, 140, 160, 180, 200);
      assertThat(p.interfacesPerPod()).isEqualTo(5);
      assertThat(p.attachments())
          .extracting(Attachment::name)
          .containsExactly("sat-a", "sat-b", "sat-c", "sat-d", "sat-e");
      assertThat(p.profiles()).containsExactly("kernel-defaults");
      assertThat(p.bisect()).isEqualTo(new Plan.Bisect(true, 10));
      assertThat(p.slos())
          .extracting(Slo::finding)
          .contains(FindingCode.NEIGH_TABLE_OVERFLOW, FindingCode.IP_LOSS);
    }

    @Test
    void referenceCaseIsTwoThousandPodsTimesFiveInTwentySteps() {
      Plan p = PlanLoader.load(Path.of("plans/dt-2000x5.yaml"));
      assertThat(p.ramp().steps()).hasSize(20).endsWith(2000);
      assertThat(p.interfacesPerPod()).isEqualTo(5);
      assertThat(p.profiles()).containsExactly("dense-ipv6");
      assertThat(p.podAddresses(2000, 5)).containsExactly("fd00:10:5::7d1/64");
      assertThat(p.primaryAddresses(2000)).containsExactly("fd00:100::7d1/64");
      Plan hostLocal = PlanLoader.load(Path.of("plans/dt-2000x5-host-local.yaml"));
      assertThat(hostLocal.ramp()).isEqualTo(p.ramp());
      assertThat(hostLocal.podAddresses(2000, 5)).isEmpty();
    }

    @Test
    void smokePlanMixesJsonAndInlineYamlConfigs() {
      Plan p = PlanLoader.load(Path.of("plans/smoke.yaml"));
      assertThat(p.attachments().get(1).config())
          .contains(
              "\"type\":\"macvlan\"",
              "\"master\":\"uplink1\"",
              "\"name\":\"sat-b\"",
              "\"cniVersion\":\"1.0.0\"");
      assertThat(p.settle()).isEqualTo(Duration.ofSeconds(1));
      assertThat(p.slos()).hasSize(FindingCode.values().length);
    }
  }

  @Test
  @DisplayName("a plan with five mistakes yields five errors with their lines")
  void fiveMistakesFiveErrors() {
    String yaml =
        String.join(
            "\n",
            "name: broken",
            "target:",
            "  type: local",
            "  local:",
            "    uplinks: 2",
            "attachments:",
            "  - name: a",
            "    config: {type: macvlan, master: uplink7, ipam: {type: host-local, ranges: [[{subnet: 'fd00:1::/64'}]]}}",
            "  - name: b",
            "    config: {type: macvlan, master: uplink0, ipam: {type: host-local, ranges: [[{subnet: '10.1.0.0/16'}]]}}",
            "ramp:",
            "  steps: [10, 5]",
            "hold: forever",
            "slos:",
            "  - {metric: attach.p95, max: 3s}",
            "");
    assertThatThrownBy(() -> PlanLoader.parse(yaml, "broken.yaml"))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              List<ConfigError> errs = ((ConfigException) e).errors();
              assertThat(errs).extracting(ConfigError::line).containsExactly(8, 10, 12, 13, 15);
              assertThat(errs).extracting(ConfigError::file).containsOnly("broken.yaml");
              assertThat(errs.get(0).message())
                  .contains("\"master\" must be uplink0..uplink1, found 'uplink7'");
              assertThat(errs.get(1).message())
                  .contains(
                      "uses 10.1.0.0/16: kdensity only hands out addresses from fd00::/8 or 198.18.0.0/15");
              assertThat(errs.get(2).message()).isEqualTo("ramp steps must increase: 5 after 10");
              assertThat(errs.get(3).message())
                  .contains("'hold' must be a duration like 500ms, 30s, 2m, found 'forever'");
              assertThat(errs.get(4).message())
                  .isEqualTo("unknown metric 'attach.p95' (did you mean 'attach.p90'?)");
            });
  }

  @Test
  void unknownKeysAreErrorsWithSuggestions() {
    assertThatThrownBy(() -> PlanLoader.parse("name: x\nramp: {steps: [1]}\nsetle: 2s\n", "x.yaml"))
        .hasMessage("x.yaml:3: unknown key 'setle' (did you mean 'settle'?)");
  }

  @Test
  void linearAndExponentialRampsEndAtTheMaximum() {
    assertThat(
            PlanLoader.parse("name: x\nramp: {start: 100, step: 300, max: 1000}\n", "x")
                .ramp()
                .steps())
        .containsExactly(100, 400, 700, 1000);
    assertThat(
            PlanLoader.parse(
                    "name: x\nramp: {start: 10, max: 100, mode: exponential, factor: 2}\n", "x")
                .ramp()
                .steps())
        .containsExactly(10, 20, 40, 80, 100);
  }

  @Test
  void sloLimitsTakeDurationsInMillisecondsOrNumbers() {
    Plan p =
        PlanLoader.parse(
            "name: x\nramp: {steps: [1]}\nslos:\n  - {metric: attach.p99, max: 2s}\n  - {finding: SOFTNET_TIME_SQUEEZE, severity: warning, max: 3}\n",
            "x");
    assertThat(p.slos())
        .containsExactly(
            new Slo("attach.p99", null, io.kdensity.probes.finding.Severity.CRITICAL, 2000, 4),
            new Slo(
                null,
                FindingCode.SOFTNET_TIME_SQUEEZE,
                io.kdensity.probes.finding.Severity.WARNING,
                3,
                5));
  }

  @Test
  void kubeTargetNeedsANode() {
    assertThatThrownBy(
            () -> PlanLoader.parse("name: x\ntarget: {type: kube}\nramp: {steps: [1]}\n", "x"))
        .hasMessageContaining("target.node must name the Kubernetes node under test");
  }

  @Test
  void fixedIpsAreHandedOutByPodIndexAndSlot() {
    Plan p =
        PlanLoader.parse(
            """
            name: ips
            attachments:
              - name: a
                ips: ["fd00:10:1::/64", "198.18.4.0/22"]
                config: {type: macvlan, master: uplink0, capabilities: {ips: true}, ipam: {type: static}}
              - name: b
                config: {type: macvlan, master: uplink0, ipam: {type: host-local, ranges: [[{subnet: "fd00:10:2::/64"}]]}}
            interfacesPerPod: 3
            ramp: {steps: [300]}
            """,
            "ips.yaml");
    assertThat(p.attachmentOf(3).name()).isEqualTo("a");
    // attachment a carries net1 and net3 of every pod: two slots per pod
    assertThat(p.podAddresses(1, 1)).containsExactly("fd00:10:1::2/64", "198.18.4.2/22");
    assertThat(p.podAddresses(1, 3)).containsExactly("fd00:10:1::3/64", "198.18.4.3/22");
    assertThat(p.podAddresses(2, 1)).containsExactly("fd00:10:1::4/64", "198.18.4.4/22");
    assertThat(p.podAddresses(300, 3)).containsExactly("fd00:10:1::259/64", "198.18.6.89/22");
    assertThat(p.podAddresses(1, 2)).isEmpty();
    assertThat(p.attachmentOf(1).gateways()).containsExactly("fd00:10:1::1", "198.18.4.1");
  }

  @Test
  void fixedIpsNeedTheStaticPluginTheCapabilityRoomAndAllowedRanges() {
    assertThatThrownBy(
            () ->
                PlanLoader.parse(
                    """
                    name: ips
                    primary:
                      name: pri
                      ips: ["fd00:100::/64"]
                      config: {type: ptp, ipam: {type: host-local, subnet: "fd00:100::/64"}}
                    attachments:
                      - name: a
                        ips: ["198.18.0.0/24"]
                        config: {type: macvlan, master: uplink0, capabilities: {ips: true}, ipam: {type: static}}
                      - name: b
                        ips: ["fd00:10:2::/64"]
                        config: {type: macvlan, master: uplink0, ipam: {type: host-local, subnet: "fd00:10:2::/64"}}
                      - name: c
                        ips: ["10.0.0.0/8", "fd00:10:3::"]
                        config: {type: macvlan, master: uplink0, capabilities: {ips: true}, ipam: {type: static}}
                    interfacesPerPod: 3
                    ramp: {steps: [300]}
                    """,
                    "ips.yaml"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "ips.yaml:3: primary: 'ips' needs \"ipam\": {\"type\": \"static\"} in its config")
        .hasMessageContaining(
            "ips.yaml:7: ips of 'a': 198.18.0.0/24 holds 253 pod addresses, the ramp needs 300")
        .hasMessageContaining("config of 'b' needs \"capabilities\": {\"ips\": true}")
        .hasMessageContaining("config of 'b' needs \"ipam\": {\"type\": \"static\"}")
        .hasMessageContaining("ips of 'c': 10.0.0.0/8 is outside fd00::/8 or 198.18.0.0/15")
        .hasMessageContaining("ips of 'c': 'fd00:10:3::' is not a subnet in CIDR form");
  }

  @Test
  void addressPolicy() {
    assertThat(AddressPolicy.allowed("fd00:10:1::/64")).isTrue();
    assertThat(AddressPolicy.allowed("198.19.255.1")).isTrue();
    assertThat(AddressPolicy.allowed("198.18.0.0/15")).isTrue();
    assertThat(AddressPolicy.allowed("198.16.0.0/12")).isFalse();
    assertThat(AddressPolicy.allowed("fc00::/7")).isFalse();
    assertThat(AddressPolicy.allowed("192.168.1.0/24")).isFalse();
    assertThat(AddressPolicy.allowed("2001:db8::1")).isFalse();
  }
}
