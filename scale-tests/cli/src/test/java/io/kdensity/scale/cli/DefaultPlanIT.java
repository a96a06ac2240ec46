package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.config.run.AttachMode;
import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.sysctl.SysctlReader;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.targets.local.LocalCleanup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The main job on the real kernel: the default plan finds the neighbour-table knee at kernel
 * defaults, bisects it to 10 pods, and writes a report a person can read.
 */
@Tag("kernel")
class DefaultPlanIT {
  @TempDir Path out;

  @Test
  @DisplayName(
      "default plan: NEIGH_TABLE_OVERFLOW knee bisected to ≤ 10 pods, Allure report with steps, categories and charts; netlink mode finds the same limit")
  void defaultPlanFindsTheNeighbourKnee() throws Exception {
    String rmemBefore = new SysctlReader(new LocalShell()).read("net.core.rmem_max");
    System.setProperty("kdensity.home", "..");

    int code =
        Main.execute(
            "ramp",
            "--plan",
            "plans/default.yaml",
            "--out",
            out.toString(),
            "--profile-dir",
            "../tuning-profiles/profiles");

    assertThat(code).isEqualTo(ExitCodes.SLO_FAILED);
    RunSummary s = SummaryJson.read(out.resolve("summary.json"));
    assertThat(s.verdict()).isEqualTo(Verdict.FAILED);
    assertThat(s.profile()).isEqualTo("kernel-defaults");
    assertThat(s.knee()).isNotNull();
    assertThat(s.knee().firstFailingPods() - s.knee().lastPassingPods()).isLessThanOrEqualTo(10);
    assertThat(s.knee().lastPassingPods()).isGreaterThan(0);
    assertThat(s.knee().limiting().get(0).code()).isEqualTo(FindingCode.NEIGH_TABLE_OVERFLOW);
    StepOutcome kneeStep =
        s.steps().stream()
            .filter(o -> !o.passed() && o.pods() == s.knee().firstFailingPods())
            .findFirst()
            .orElseThrow();
    Finding overflow =
        kneeStep.findings().stream()
            .filter(f -> f.code() == FindingCode.NEIGH_TABLE_OVERFLOW)
            .findFirst()
            .orElseThrow();
    assertThat(overflow.evidence().get(0).what()).isEqualTo("ndisc_cache table_fulls");
    assertThat(overflow.evidence().get(0).delta()).isPositive();
    // every critical finding of a failed step is the table's refusal or what it caused: addresses
    // lost beyond the knee (in about half the runs, by GC timing) because their entries were
    // refused; an IP loss with any other cause, or another critical limit, fails here
    assertThat(s.steps())
        .filteredOn(o -> !o.passed())
        .flatExtracting(StepOutcome::findings)
        .filteredOn(f -> f.severity() == Severity.CRITICAL)
        .extracting(Finding::cause)
        .contains(Cause.NEIGHBOUR_TABLE_FULL)
        .isSubsetOf(Cause.NEIGHBOUR_TABLE_FULL, Cause.NEIGHBOUR_REFUSED);
    assertThat(kneeStep.metrics().get("neigh.v6.gc_thresh3")).isEqualTo(1024.0);
    // the knee is where the node's own entries fill the table: the emulated router's entries
    // for the pods are there too, but permanent, so the kernel does not count them
    Map<String, Double> m = kneeStep.metrics();
    // table_fulls rose, so the counted entries reached gc_thresh3 during the step; by the time the
    // step is read, forced GC (neigh_forced_gc) has shrunk them toward gc_thresh2, not below
    assertThat(m.get("neigh.v6.gc_entries")).isGreaterThanOrEqualTo(m.get("neigh.v6.gc_thresh2"));
    assertThat(m.get("neigh.v6.entries.emulation"))
        .isGreaterThanOrEqualTo(kneeStep.pods() * 5.0)
        .isEqualTo(m.get("neigh.v6.exempt"));
    // the counted entries are the node's side plus whatever the machine's own root namespace holds
    // at that moment (it shares the table: .ci/run once saw 1 such IPv6 entry), a few at most
    double other = m.get("neigh.v6.entries.other");
    assertThat(other)
        .as("the machine's own entries")
        .isLessThan(0.05 * m.get("neigh.v6.gc_entries"));
    assertThat(m.get("neigh.v6.node_side"))
        .isBetween(m.get("neigh.v6.gc_entries") - other, m.get("neigh.v6.gc_entries"));
    assertThat(m.get("neigh.v6.entries"))
        .isEqualTo(m.get("neigh.v6.node_side") + m.get("neigh.v6.entries.emulation"));
    assertThat(s.steps()).anyMatch(StepOutcome::bisection);
    for (StepOutcome o : s.steps()) {
      assertThat(o.durations().overheadShare())
          .as("harness overhead of step %d", o.index())
          .isLessThan(0.5);
    }

    // recommendations name the limit, its evidence and the settings
    String md = Files.readString(out.resolve("recommendations.md"));
    assertThat(md)
        .contains(
            "NEIGH_TABLE_OVERFLOW",
            "ndisc_cache table_fulls",
            "net.ipv6.neigh.default.gc_thresh3 = ",
            "per interface on the node's own side");
    assertThat(out.resolve("recommended-profile.yaml")).exists();

    // Allure: one test per step, categories, charts; the HTML report was generated
    List<JsonNode> results = results(out.resolve("allure-results"));
    assertThat(results).hasSize(s.steps().size());
    assertThat(results)
        .extracting(r -> r.path("name").asString())
        .allMatch(n -> n.matches("step \\d\\d: \\d+ pods × 5 interfaces.*"));
    JsonNode failed =
        results.stream()
            .filter(r -> r.path("status").asString().equals("failed"))
            .findFirst()
            .orElseThrow();
    assertThat(failed.path("statusDetails").path("message").asString())
        .startsWith("NEIGH_TABLE_OVERFLOW: ");
    assertThat(failed.path("attachments").findValuesAsString("name"))
        .contains("neighbours.png", "attach-latency.png", "attach-stages.png", "findings");
    // the attach's stages of the first step's 20 pods: sandbox, eth0 by ptp, five macvlans each,
    // DAD, and the first answer to each new address with the neighbour resolution inside it
    assertThat(s.steps().get(0).metrics())
        .containsKeys(
            "attach.stage.sandbox.p99",
            "attach.stage.add.ptp.p99",
            "attach.stage.add.macvlan.p99",
            "attach.stage.dad.p99",
            "attach.stage.first_answer.p99",
            "attach.stage.neigh_resolve.p99");
    // below the knee no first request is lost: no 500 ms retry in the first answers
    assertThat(s.steps().get(0).metrics().get("attach.stage.first_answer.max")).isLessThan(250.0);
    assertThat(Files.readString(out.resolve("allure-results/categories.json")))
        .contains("Neighbour table overflow");
    assertThat(out.resolve("allure-results/environment.properties"))
        .content()
        .contains("profile=kernel-defaults");
    assertThat(out.resolve("allure-report/index.html")).exists();
    // the first screen says the answer: the block above the overview, and its chart
    assertThat(Files.readString(out.resolve("allure-report/index.html")))
        .contains("id=\"kdensity-answer\"")
        .contains("verdict failed: knee at " + s.knee().firstFailingPods() + " pods × 5 interfaces")
        .contains("<img src=\"kdensity/neighbours.png\"");
    assertThat(out.resolve("allure-report/kdensity/neighbours.png")).isNotEmptyFile();
    assertThat(Files.readString(out.resolve("allure-report/data/categories.json")))
        .contains("Neighbour table overflow");
    assertThat(out.resolve("junit"))
        .isDirectoryContaining(p -> p.getFileName().toString().endsWith(".xml"));

    // nothing left behind
    assertThat(new LocalCleanup(new LocalShell()).listNamespaces())
        .noneMatch(n -> n.startsWith("kd-" + s.runId()));
    assertThat(new SysctlReader(new LocalShell()).read("net.core.rmem_max")).isEqualTo(rmemBefore);
    assertThat(out.resolve("allure-results/environment.properties"))
        .content()
        .contains("attach=cni");

    // the same plan in netlink mode: the same limit, reached the same way
    Path netlinkOut = out.resolve("netlink");
    int netlinkCode =
        Main.execute(
            "ramp",
            "--plan",
            "plans/default.yaml",
            "--out",
            netlinkOut.toString(),
            "--attach",
            "netlink",
            "--no-html",
            "--profile-dir",
            "../tuning-profiles/profiles");
    assertThat(netlinkCode).isEqualTo(ExitCodes.SLO_FAILED);
    RunSummary n = SummaryJson.read(netlinkOut.resolve("summary.json"));
    assertThat(n.attach()).isEqualTo(AttachMode.NETLINK);
    for (RunSummary run : List.of(s, n)) {
      String mode = run.attach().text();
      assertThat(run.knee().limiting().get(0).code())
          .as(mode)
          .isEqualTo(FindingCode.NEIGH_TABLE_OVERFLOW);
      assertThat(run.knee().firstFailingPods() - run.knee().lastPassingPods())
          .as(mode)
          .isLessThanOrEqualTo(10);
      StepOutcome first =
          run.steps().stream()
              .filter(o -> !o.passed() && o.pods() == run.knee().firstFailingPods())
              .findFirst()
              .orElseThrow();
      Map<String, Double> k = first.metrics();
      assertThat(k.get("neigh.v6.table_fulls")).as(mode).isPositive();
      assertThat(k.get("neigh.v6.gc_entries"))
          .as(mode)
          .isGreaterThanOrEqualTo(k.get("neigh.v6.gc_thresh2"));
      // the machine's own root namespace shares the table (a few entries at most)
      assertThat(k.get("neigh.v6.node_side"))
          .as(mode)
          .isBetween(
              k.get("neigh.v6.gc_entries") - k.get("neigh.v6.entries.other"),
              k.get("neigh.v6.gc_entries"));
      // The knee itself does not repeat to the bisection's 10 pods in either mode (2026-11-26:
      // plugins 80, 80, 130, 120, 80, 100, 130; netlink 110, 110, 110, 100, 100, 80): forced GC
      // cannot remove entries a timer holds (REACHABLE for a random 15-45 s after each sweep), so
      // where 1,024 is crossed depends on how many earlier steps' entries are still held. Both must
      // lie where
      // the kernel's rule puts it for 6 interfaces a pod at 1 to 2 counted entries each steady
      // (as measured at the knees): gc_thresh2 ÷ (6 × 2) ≈ 40 to gc_thresh3 ÷ 6 ≈ 170 pods.
      assertThat(run.knee().firstFailingPods()).as(mode).isBetween(40, 170);
    }
  }

  static List<JsonNode> results(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> p.getFileName().toString().endsWith("-result.json"))
          .map(
              p -> {
                try {
                  return SummaryJson.MAPPER.readTree(Files.readAllBytes(p));
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              })
          .toList();
    }
  }
}
