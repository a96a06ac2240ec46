package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.config.run.AttachMode;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.reports.answer.RunAnswer;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.Prediction.CalibrationPoint;
import io.kdensity.reports.model.Prediction.Headroom;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.predict.CapacityModel;
import io.kdensity.scale.predict.Measure;
import io.kdensity.scale.targets.local.LocalCleanup;
import io.kdensity.tuning.profile.Profile;
import io.kdensity.tuning.profile.ProfileLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real kernel: {@code kdensity predict} on the default plan at stock limits, in {@code attach:
 * netlink} mode and with a 20 s steady hold instead of the node's 50 s, to keep it to about two
 * minutes. The calibration is the plan's first two steps; the model's figures must follow from what
 * the censuses recorded, and the node's own gc_thresh3 is the limit.
 */
@Tag("kernel")
class PredictIT {
  private static final int HOLD = 20;

  @TempDir Path dir;

  @AfterEach
  void safetyNet() {
    LocalCleanup c = new LocalCleanup(new LocalShell());
    c.remove(c.runsPresent());
  }

  @Test
  @DisplayName(
      "predict: two calibration steps, censuses of the pinned entries, and NEIGH_TABLE_OVERFLOW"
          + " first with the range its recorded costs give")
  void predictsTheNeighbourTableFromTwoSteps() throws Exception {
    Path plan =
        Files.writeString(
            dir.resolve("predict.yaml"),
            Files.readString(Path.of("plans/default.yaml"))
                .replace("cleanup: always", "cleanup: always\nsteady: {hold: " + HOLD + "s}"));
    Path out = dir.resolve("out");

    int exit =
        Main.execute(
            "predict",
            "--plan",
            plan.toString(),
            "--attach",
            AttachMode.NETLINK.text(),
            "--out",
            out.toString(),
            "--no-html");

    assertThat(exit).isZero();
    RunSummary s = SummaryJson.read(out.resolve("summary.json"));
    // the calibration stops the run after the plan's first two steps
    assertThat(s.steps()).extracting(StepOutcome::pods).containsExactly(20, 40);
    assertThat(s.steps()).allMatch(StepOutcome::passed);
    Prediction p = s.prediction();
    assertThat(p).isNotNull();
    assertThat(p.pods()).isEqualTo(200);
    assertThat(p.calibration()).extracting(CalibrationPoint::pods).containsExactly(20, 40);
    long steady20 = Measure.V6_PINNED_STEADY.in(p.calibration().get(0)).orElseThrow();
    long steady40 = Measure.V6_PINNED_STEADY.in(p.calibration().get(1)).orElseThrow();
    double perPod = (steady40 - steady20) / 20.0;
    // each pod pins at least its six interfaces' gateway entries, and not ten times that
    assertThat(perPod).isBetween(6.0, 60.0);
    assertThat(Measure.V6_PINNED_PEAK.in(p.calibration().get(1)).orElseThrow()).isPositive();
    long gcThresh3 =
        Long.parseLong(
            new LocalShell().readFile("/proc/sys/net/ipv6/neigh/default/gc_thresh3").strip());
    Headroom first = p.firstToBreak().orElseThrow();
    assertThat(first.code()).isEqualTo(FindingCode.NEIGH_TABLE_OVERFLOW);
    assertThat(first.size()).isEqualTo(gcThresh3);
    // the steady line through the two censuses passes gc_thresh3 where the model says
    double base = steady20 - perPod * 20;
    assertThat(first.breaksBy()).isEqualTo((int) Math.floor((gcThresh3 - base) / perPod) + 1);
    // and a plain step can break it at least one step's worth earlier
    assertThat(first.breaksFrom()).isLessThanOrEqualTo(first.breaksBy() - 20 + 1);
    assertThat(p.unmodelled()).anyMatch(u -> u.startsWith("SOFTNET_DROPS"));
    // each pod puts one macvlan on every uplink: the plan's 128 filter slots are passed by the
    // 129th, a warning that is listed but never the first to break
    Headroom filter =
        p.limits().stream()
            .filter(h -> h.code() == FindingCode.NIC_PROMISC_FALLBACK)
            .findFirst()
            .orElseThrow(() -> new AssertionError("no unicast filter in " + p.limits()));
    assertThat(filter.warning()).isTrue();
    assertThat(filter.size()).isEqualTo(128);
    assertThat(filter.breaksFrom()).isEqualTo(129);

    // no step reached the table, yet the run sizes it for the density it predicted for
    assertThat(Files.readString(out.resolve("recommendations.md")))
        .contains("No step of this run reached it: IPv6 (ndisc_cache) neighbour table");
    // and `recommend` sizes it from the same costs for another density: 1.5 × the need at its
    // worst moment, rounded up to a power of two
    Path at2000 = dir.resolve("at-2000");
    assertThat(
            Main.execute(
                "recommend",
                "--summary",
                out.resolve("summary.json").toString(),
                "--out",
                at2000.toString(),
                "--target-pods",
                "2000"))
        .isZero();
    long need = CapacityModel.neighbourTablesAt(p, 2000).limits().get(0).peakNeed();
    long t3 = 1024;
    while (t3 < need * 3 / 2) {
      t3 <<= 1;
    }
    Profile recommended =
        new ProfileLoader(List.of()).load(at2000.resolve("recommended-profile.yaml").toString());
    assertThat(recommended.sysctl().get("net.ipv6.neigh.default.gc_thresh3").value())
        .isEqualTo(Long.toString(t3));
    assertThat(Files.readString(at2000.resolve("recommendations.md")))
        .contains(String.format("%,d entries at 2,000 pods", need));
  }

  @Test
  @DisplayName(
      "predict --interfaces 5 on a plan whose first step fails: no calibration point, yet the"
          + " host-local range running out is predicted where the step failed")
  void predictsThePlansOwnLimitsWithoutCalibration() throws Exception {
    Path plan =
        Files.writeString(
            dir.resolve("small-range-1.yaml"),
            """
            name: small-range-1
            target: {type: local, local: {uplinks: 1}}
            attachments:
              - name: sat-a
                config: '{"cniVersion": "1.0.0", "type": "macvlan", "master": "uplink0", "mode": "bridge", "ipam": {"type": "host-local", "ranges": [[{"subnet": "198.18.5.0/28"}]]}}'
            interfacesPerPod: 1
            ramp: {steps: [3, 4]}
            settle: 5s
            hold: 1s
            steady: {hold: 2s}
            bisect: {enabled: false}
            slos:
              - {finding: ATTACH_FAILED, max: 0}
            """);
    Path out = dir.resolve("out");

    int exit =
        Main.execute(
            "predict",
            "--plan",
            plan.toString(),
            "--interfaces",
            "5",
            "--out",
            out.toString(),
            "--no-html");

    RunSummary s = SummaryJson.read(out.resolve("summary.json"));
    assertThat(exit).as(s.error()).isEqualTo(ExitCodes.of(s.verdict())).isNotZero();
    assertThat(s.secondaryPerPod()).isEqualTo(5);
    assertThat(s.steps()).extracting(StepOutcome::pods).containsExactly(3);
    Prediction p = s.prediction();
    assertThat(p.calibrated()).isFalse();
    assertThat(p.calibration()).isEmpty();
    assertThat(p.interfacesPerPod()).isEqualTo(5);
    Headroom first = p.firstToBreak().orElseThrow();
    assertThat(first.code()).isEqualTo(FindingCode.ATTACH_FAILED);
    assertThat(first.range()).isEqualTo("3 pods");
    assertThat(s.knee().firstFailingPods()).isEqualTo(3);
    assertThat(RunAnswer.of(s).headline())
        .endsWith("predicted ATTACH_FAILED at 3 pods, measured 3: as predicted");
  }

  @Test
  @DisplayName(
      "ramp --predict with a /28 host-local network and five interfaces a pod on it: 13 addresses,"
          + " so ATTACH_FAILED at 3 pods is predicted, and the ramp's knee is there")
  void predictsAnIpamRangeRunningOut() throws Exception {
    Path plan =
        Files.writeString(
            dir.resolve("small-range.yaml"),
            """
            name: small-range
            target: {type: local, local: {uplinks: 1}}
            attachments:
              - name: sat-a
                config: '{"cniVersion": "1.0.0", "type": "macvlan", "master": "uplink0", "mode": "bridge", "ipam": {"type": "host-local", "ranges": [[{"subnet": "198.18.5.0/28"}]]}}'
            interfacesPerPod: 5
            ramp: {steps: [1, 2, 3, 4]}
            settle: 5s
            hold: 1s
            steady: {hold: 2s}
            bisect: {enabled: false}
            slos:
              - {finding: ATTACH_FAILED, max: 0}
            """);
    Path out = dir.resolve("out");

    int exit =
        Main.execute(
            "ramp", "--plan", plan.toString(), "--predict", "--out", out.toString(), "--no-html");

    RunSummary s = SummaryJson.read(out.resolve("summary.json"));
    assertThat(exit).as(s.error()).isEqualTo(ExitCodes.of(s.verdict()));
    Headroom first = s.prediction().firstToBreak().orElseThrow();
    assertThat(first.code()).isEqualTo(FindingCode.ATTACH_FAILED);
    assertThat(first.size()).isEqualTo(13);
    assertThat(first.range()).isEqualTo("3 pods");
    assertThat(s.knee().firstFailingPods()).isEqualTo(3);
    assertThat(s.knee().limiting().get(0).code()).isEqualTo(FindingCode.ATTACH_FAILED);
    // pod 3 finds 3 of the 13 addresses left for its five interfaces
    assertThat(s.knee().limiting().get(0).message()).contains("2 attaches to sat-a");
    assertThat(s.prediction().agrees(3, 1)).isTrue();
  }
}
