package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.SoakReport;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.metrics.NodeObject;
import io.kdensity.scale.metrics.SoakMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real kernel: a short soak with churn (CNI DEL and ADD of new sandboxes, host-local IPAM) and
 * carrier flaps of bridge-port veths finds no leak, and the same soak with CNI DEL skipped for half
 * the churned pods (the test-only fault) finds the leaked leases one window after the first churn.
 * The 10-minute run at 200 pods is {@code scale-tests/bench/soak.sh}; this one is short to
 * keep the suite's length.
 */
@Tag("kernel")
class SoakIT {
  @TempDir Path dir;

  private Path plan() throws Exception {
    Path p = dir.resolve("soak.yaml");
    Files.writeString(
        p,
        String.join(
            "\n",
            "name: soak-it",
            "target: {type: local, local: {uplinks: 1, attachConcurrency: 4}}",
            "attachments:",
            "  - name: sat-a",
            "    config: {type: bridge, ipam: {type: host-local, ranges: [[{subnet: 'fd00:31:1::/64'}]]}}",
            "  - name: sat-b",
            "    config: {type: bridge, ipam: {type: host-local, ranges: [[{subnet: 'fd00:31:2::/64'}]]}}",
            "interfacesPerPod: 2",
            "ramp: {steps: [30]}",
            "soak: {pods: 30, duration: 40s, interval: 10s, churn: 10%/10s, linkFlap: 5%/10s}",
            "settle: 10s",
            "hold: 1s",
            "traffic: {reachability: true, pingInterval: 1ms, pingTimeout: 500ms, pingRetries: 1}",
            "slos:",
            "  - {finding: IP_LOSS, max: 0}",
            "  - {finding: ATTACH_FAILED, max: 0}",
            "bisect: {enabled: false}",
            ""));
    return p;
  }

  private RunSummary soak(String out, int exit, String... extra) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of(
                "soak",
                "--plan",
                plan().toString(),
                "--out",
                dir.resolve(out).toString(),
                "--no-html"));
    args.addAll(List.of(extra));
    assertThat(Main.execute(args.toArray(String[]::new))).isEqualTo(exit);
    return SummaryJson.read(dir.resolve(out).resolve("summary.json"));
  }

  @Test
  @DisplayName(
      "30 pods × 2 for 40 s, 10% churn and 5% carrier flaps every 10 s: every window passes, nothing leaks")
  void cleanSoak() throws Exception {
    RunSummary s = soak("clean", ExitCodes.PASSED);

    assertThat(s.verdict()).isEqualTo(Verdict.PASSED);
    SoakReport k = s.soak();
    assertThat(k.schemaVersion()).isEqualTo(SoakReport.SCHEMA_VERSION);
    assertThat(k.samples()).hasSize(4);
    assertThat(k.samples().get(0).churned()).isZero();
    assertThat(k.samples().subList(1, k.samples().size()))
        .allSatisfy(
            x -> {
              assertThat(x.churned()).isEqualTo(3);
              // 5% of 30 × 3 interfaces; only the bridge ports (60) can flap
              assertThat(x.flapped()).isEqualTo(5);
              assertThat(x.passed()).isTrue();
              // every churned pod's leases were released: the count is the first window's
              assertThat(x.values())
                  .containsEntry(NodeObject.IPAM_LEASES.metric().name(), 90.0)
                  .containsEntry(NodeObject.NAMESPACES.metric().name(), 32.0);
            });
    // routes outside the local table: churn deletes and re-adds the pods' routes and prefix
    // routes, a flap takes a port's fe80::/64 away and back; none may stay behind or go missing
    String routes = NodeObject.NODE_ROUTES.metric().name();
    double baseline = k.samples().get(0).values().get(routes);
    assertThat(baseline).isGreaterThan(60);
    assertThat(k.samples()).extracting(x -> x.values().get(routes)).containsOnly(baseline);
    assertThat(k.findings()).isEmpty();
    assertThat(s.steps().get(2).metrics()).containsEntry(SoakMetrics.CHURNED.name(), 3.0);
  }

  @Test
  @DisplayName(
      "the same soak skipping CNI DEL for half the churned pods: a LEAK of IPAM leases with its rate, found one window after the first churn")
  void injectedLeakIsFound() throws Exception {
    RunSummary s = soak("leak", ExitCodes.SLO_FAILED, "--inject-leak", "50%");

    assertThat(s.verdict()).isEqualTo(Verdict.FAILED);
    SoakReport k = s.soak();
    assertThat(k.leakFault()).isEqualTo(0.5);
    String leases = NodeObject.IPAM_LEASES.metric().name();
    // 30 × 3 leases at first; each churn of 3 pods skips the DEL of 1 or 2 of them in turn (half
    // of the removed pods so far), leaking their three leases each (eth0 and two bridges)
    assertThat(k.samples())
        .extracting(x -> x.values().get(leases))
        .startsWith(90.0, 93.0, 99.0, 102.0);
    assertThat(k.findings())
        .filteredOn(f -> f.code() == FindingCode.LEAK)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.cause()).isEqualTo(Cause.OBJECTS_NOT_FREED);
              assertThat(f.subject()).isEqualTo(leases);
              assertThat(f.message())
                  .startsWith(leases + " +")
                  .containsPattern("/h: \\d+ above the first window's 90 after 0:00:[0-9]{2}$");
            });
    // the fault starts with the first churn (window 2); window 3 is the second above the baseline
    assertThat(k.detectedAt()).containsEntry(leases, 3);
    assertThat(Files.readString(dir.resolve("leak/recommendations.md")))
        .contains("Find what does not free a deleted pod's objects");
  }
}
