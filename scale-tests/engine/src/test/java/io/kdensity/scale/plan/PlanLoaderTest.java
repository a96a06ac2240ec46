package io.kdensity.scale.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.config.run.AttachMode;
import io.kdensity.probes.finding.FindingCode;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

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
    void socketIncastPlanBurstsTwoDatagramsPerPodIntoOneCollectorWithTheKernelsBuffer() {
      Plan p = PlanLoader.load(Path.of("plans/socket-incast.yaml"));
      assertThat(p.traffic().udp())
          .isEqualTo(new Traffic.Udp(true, 1, 20000, 256, 0, Traffic.UdpPattern.INCAST, 2, 500, 1));
      assertThat(p.interfacesPerPod()).isEqualTo(1);
      assertThat(p.slos()).extracting(Slo::finding).contains(FindingCode.SOCKET_RCVBUF_ERRORS);
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
      assertThat(p.settle()).isEqualTo(Duration.ofSeconds(5));
      assertThat(p.slos()).hasSize(FindingCode.values().length);
    }
  }

  @Test
  @DisplayName("the soak plan's soak: section, and a plan without one has none")
  void soakSection() {
    Plan p = PlanLoader.load(Path.of("plans/soak-200x5.yaml"));
    Soak s = p.soak();
    assertThat(s.pods()).isEqualTo(200);
    assertThat(s.duration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(s.interval()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.windows()).isEqualTo(10);
    assertThat(s.churn()).isEqualTo(new Soak.Rate(0.10, Duration.ofMinutes(1)));
    assertThat(s.churn().of(200)).isEqualTo(20);
    assertThat(s.linkFlap().of(200 * 6)).isEqualTo(24);
    assertThat(s.linkFlap().toString()).isEqualTo("2%/60s");
    assertThat(s.leakFault()).isZero();
    assertThat(PlanLoader.load(Path.of("plans/smoke.yaml")).soak()).isNull();
    // a share alone is every window
    assertThat(Soak.Rate.parse("5%", Duration.ofSeconds(30)))
        .contains(new Soak.Rate(0.05, Duration.ofSeconds(30)));
  }

  @Test
  @DisplayName("trials: how many searches for the knee a ramp runs, 1 unless the plan says")
  void trialsKey() {
    assertThat(PlanLoader.parse("name: x\nramp: {steps: [1]}\n", "x").trials()).isEqualTo(1);
    assertThat(PlanLoader.parse("name: x\nramp: {steps: [1]}\ntrials: 5\n", "x").trials())
        .isEqualTo(5);
    assertThatThrownBy(() -> PlanLoader.parse("name: x\nramp: {steps: [1]}\ntrials: 0\n", "x"))
        .hasMessage("x:3: 'trials' must be between 1 and 50, found 0");
  }

  @Test
  @DisplayName(
      "target.local.routers: advertising routers per uplink network, one unless the plan says, at most two")
  void routersKey() {
    String plan = "name: x\nramp: {steps: [1]}\ntarget:\n  local:\n    routers: %s\n";
    assertThat(PlanLoader.parse("name: x\nramp: {steps: [1]}\n", "x").target().local().routers())
        .isEqualTo(1);
    assertThat(PlanLoader.parse(plan.formatted("0"), "x").target().local().routers()).isZero();
    assertThat(PlanLoader.parse(plan.formatted("2"), "x").target().local().routers()).isEqualTo(2);
    assertThatThrownBy(() -> PlanLoader.parse(plan.formatted("3"), "x"))
        .hasMessage("x:5: 'target.local.routers' must be between 0 and 2, found 3");
  }

  @Test
  @DisplayName(
      "probes.conntrack.nearLimit: the share of nf_conntrack_max that warns, 0.9 unless set")
  void conntrackNearLimit() {
    String plan = "name: x\nramp: {steps: [1]}\nprobes: {conntrack: {nearLimit: %s}}\n";
    assertThat(
            PlanLoader.parse("name: x\nramp: {steps: [1]}\n", "x")
                .thresholds()
                .conntrack()
                .nearLimit())
        .isEqualTo(0.9);
    assertThat(PlanLoader.parse(plan.formatted("0.5"), "x").thresholds().conntrack().nearLimit())
        .isEqualTo(0.5);
    assertThatThrownBy(() -> PlanLoader.parse(plan.formatted("2"), "x"))
        .hasMessageContaining("'probes.conntrack.nearLimit' must be between 0");
  }

  @Test
  @DisplayName(
      "target.local.conntrack: the node's namespace tracks connections only if the plan says")
  void conntrackKey() {
    String plan = "name: x\nramp: {steps: [1]}\ntarget:\n  local:\n    conntrack: %s\n";
    assertThat(PlanLoader.parse("name: x\nramp: {steps: [1]}\n", "x").target().local().conntrack())
        .isFalse();
    assertThat(PlanLoader.parse(plan.formatted("true"), "x").target().local().conntrack()).isTrue();
    assertThatThrownBy(() -> PlanLoader.parse(plan.formatted("3"), "x"))
        .hasMessageStartingWith("x:5: 'target.local.conntrack'");
  }

  @Test
  @DisplayName(
      "steady: off unless asked; the hold is the node's (0) unless set; unknown keys are errors")
  void steadyKey() {
    Steady none = PlanLoader.parse("name: x\nramp: {steps: [1]}\n", "x").steady();
    assertThat(none).isEqualTo(Steady.OFF);
    assertThat(none.enabled()).isFalse();
    assertThat(none.on()).isEqualTo(new Steady(true, Duration.ZERO, true));
    assertThat(
            PlanLoader.parse(
                    "name: x\nramp: {steps: [1]}\nsteady: {enabled: true, hold: 90s, burst: false}\n",
                    "x")
                .steady())
        .isEqualTo(new Steady(true, Duration.ofSeconds(90), false));
    assertThatThrownBy(
            () ->
                PlanLoader.parse(
                    "name: x\nramp: {steps: [1]}\nsteady: {hold: 1m, bursts: 3}\n", "x"))
        .hasMessageContaining("x:3:")
        .hasMessageContaining("bursts");
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

  @ParameterizedTest(name = "{0} → {1}")
  @DisplayName("addresses and subnets are allowed only inside fd00::/8 and 198.18.0.0/15")
  @CsvSource({
    "fd00:10:1::/64, true",
    "fd00::/8, true",
    "198.19.255.1, true",
    "198.18.0.0/15, true",
    "198.18.0.0/14, false",
    "198.16.0.0/12, false",
    "fc00::/7, false",
    "192.168.1.0/24, false",
    "10.0.0.0/8, false",
    "2001:db8::1, false",
    "not-an-address, false",
  })
  void addressPolicy(String address, boolean allowed) {
    assertThat(AddressPolicy.allowed(address)).isEqualTo(allowed);
  }

  @Test
  @DisplayName(
      "netlink mode hands out the addresses IPAM would: ips, host-local from the host after the gateway or rangeStart, static as written")
  void netlinkAddressesAreWhatIpamWouldGive() {
    Plan p =
        PlanLoader.parse(
            String.join(
                "\n",
                "name: n",
                "target: {local: {attach: netlink, dualStack: true}}",
                "attachments:",
                "  - {name: a, config: {type: macvlan, master: uplink0, ipam: {type: host-local,"
                    + " ranges: [[{subnet: 'fd00:10:1::/64'}]]}}}",
                "  - {name: b, config: {type: macvlan, master: uplink1, ipam: {type: host-local,"
                    + " ranges: [[{subnet: 'fd00:10:2::/64', rangeStart: 'fd00:10:2::100'}]]}}}",
                "  - {name: c, ips: ['fd00:10:3::/64'], config: {type: macvlan, master: uplink2,"
                    + " capabilities: {ips: true}, ipam: {type: static}}}",
                "interfacesPerPod: 4",
                "ramp: {steps: [3]}"),
            "n.yaml");
    assertThat(p.attachMode()).isEqualTo(AttachMode.NETLINK);
    // pod, interface → addresses
    assertThat(p.plannedAddresses(1, 0)).containsExactly("fd00:100::2/64", "198.18.0.2/16");
    assertThat(p.plannedAddresses(3, 0)).containsExactly("fd00:100::4/64", "198.18.0.4/16");
    // net1 and net4 are both on 'a': two slots per pod
    assertThat(p.plannedAddresses(1, 1)).containsExactly("fd00:10:1::2/64");
    assertThat(p.plannedAddresses(1, 4)).containsExactly("fd00:10:1::3/64");
    assertThat(p.plannedAddresses(2, 1)).containsExactly("fd00:10:1::4/64");
    assertThat(p.plannedAddresses(2, 2)).containsExactly("fd00:10:2::101/64");
    assertThat(p.plannedAddresses(3, 3)).containsExactly("fd00:10:3::4/64");
  }

  @Test
  @DisplayName(
      "--attach netlink on a cluster plan is refused: a cluster's pods attach through its CNI")
  void netlinkIsLocalOnly() {
    Plan kube =
        PlanLoader.parse("name: k\ntarget: {type: kube, node: w1}\nramp: {steps: [2]}\n", "k.yaml");
    assertThatThrownBy(() -> kube.withAttach(AttachMode.NETLINK))
        .isInstanceOf(io.kdensity.config.yaml.ConfigException.class)
        .hasMessage(
            "k.yaml: attach: netlink is a mode of the local target; a cluster's pods attach through its CNI");
  }

  @ParameterizedTest(name = "--interfaces {0}: {1}")
  @DisplayName("--interfaces overrides interfacesPerPod, checked as the plan's own count is")
  @CsvSource(
      delimiter = '|',
      value = {
        "3  | ",
        "4  | f.yaml:3: ips of 'sat-b': 198.18.6.0/28 holds 13 pod addresses, the ramp needs 16",
        "65 | f.yaml: --interfaces: expected 0 to 64, found 65",
      })
  void interfacesOverride(int n, String error) {
    Plan plan =
        PlanLoader.parse(
            """
            name: f
            attachments:
              - name: sat-b
                ips: ["198.18.6.0/28"]
                config: {type: macvlan, master: uplink1, capabilities: {ips: true}, ipam: {type: static}}
            ramp: {steps: [2, 4]}
            """,
            "f.yaml");
    assertThat(plan.interfacesPerPod()).isEqualTo(1);
    if (error == null) {
      assertThat(plan.withInterfaces(n).interfacesPerPod()).isEqualTo(n);
      assertThat(plan.withInterfaces(n).podAddresses(4, 3)).hasSize(1);
    } else {
      assertThatThrownBy(() -> plan.withInterfaces(n))
          .isInstanceOf(io.kdensity.config.yaml.ConfigException.class)
          .hasMessage(error);
    }
  }

  @Test
  void interfacesNeedAnAttachment() {
    Plan bare = PlanLoader.parse("name: bare\nramp: {steps: [1]}\n", "bare.yaml");
    assertThatThrownBy(() -> bare.withInterfaces(2))
        .hasMessage("bare.yaml: --interfaces 2: the plan declares no attachments to put them on");
  }
}
