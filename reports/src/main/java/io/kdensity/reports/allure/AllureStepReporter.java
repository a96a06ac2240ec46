package io.kdensity.reports.allure;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.reports.charts.Charts;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.SloCheck;
import io.kdensity.reports.model.StepOutcome;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.model.Attachment;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.Parameter;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.StepResult;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Adds a step's results to the Allure test that is running (the JUnit dynamic test of that step):
 * phases as Allure steps with their measured start and stop, SLO checks, probe results with their
 * snapshots, the findings table and the ramp's charts up to this step.
 */
public final class AllureStepReporter {
  private final AllureLifecycle lifecycle;

  public AllureStepReporter() {
    this(Allure.getLifecycle());
  }

  public AllureStepReporter(AllureLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  /**
   * @param step the step just run
   * @param all every step so far (for the charts)
   * @param knee the knee so far, or null
   * @param meta plan, target and profile, as labels
   */
  public void report(StepOutcome step, List<StepOutcome> all, Knee knee, Map<String, String> meta) {
    report(step, meta, Charts.ramp(all, knee));
  }

  /**
   * Adds a step's phases, findings, metrics and the given charts (a soak window's are over time) to
   * the running Allure test.
   *
   * @param charts PNG images by file name
   */
  public void report(StepOutcome step, Map<String, String> meta, Map<String, byte[]> charts) {
    if (lifecycle.getCurrentTestCase().isEmpty()) {
      return; // not inside an Allure test (e.g. a unit test of the engine)
    }
    long t = step.started().toEpochMilli();
    List<StepResult> phases = new ArrayList<>();
    var d = step.durations();
    phases.add(
        phase(
            String.format(
                "scale to %,d pods (%,d interfaces, %s)",
                step.pods(),
                step.interfaces(),
                step.attach().count() == 0
                    ? "no attach: scaled down"
                    : String.format("attach p99 %.0f ms", step.attach().p99())),
            t,
            t += d.scale(),
            step.findings().stream()
                .anyMatch(
                    f ->
                        f.code() == FindingCode.ATTACH_FAILED
                            || f.code() == FindingCode.ATTACH_SLOW
                            || f.cause() == Cause.BRIDGE_FULL)));
    phases.add(phase("settle", t, t += d.settle(), false));
    // each phase as the engine measured it on the run's monotonic clock
    phases.add(phase("probe snapshot before traffic", t, t += d.probesBeforeTraffic(), false));
    phases.add(phase("hold with traffic", t, t += d.traffic(), false));
    StepResult probes = phase("probes", t, t + d.probesAfterTraffic(), false);
    for (Map.Entry<String, Object> s : step.snapshots().entrySet()) {
      List<Finding> own = step.findings().stream().filter(f -> belongs(f, s.getKey())).toList();
      StepResult p =
          phase(
              "probe " + s.getKey() + (own.isEmpty() ? "" : ": " + own.size() + " finding(s)"),
              t,
              t + d.probesAfterTraffic(),
              !own.isEmpty());
      p.getAttachments()
          .add(
              attach(
                  "snapshot " + s.getKey() + ".json",
                  "application/json",
                  ".json",
                  SummaryJson.MAPPER.writeValueAsBytes(s.getValue())));
      probes.getSteps().add(p);
    }
    phases.add(probes);
    long end = step.started().toEpochMilli() + d.total();
    StepResult slos =
        phase("SLO checks", end, end, step.slos().stream().anyMatch(c -> !c.passed()));
    for (SloCheck c : step.slos()) {
      slos.getSteps()
          .add(
              phase(
                  String.format(
                      "%s: %s (actual %s)",
                      c.passed() ? "ok" : "FAILED", c.rule(), num(c.actual())),
                  end,
                  end,
                  !c.passed()));
    }
    phases.add(slos);
    List<Attachment> attachments = new ArrayList<>();
    attachments.add(
        attach(
            "findings",
            "text/markdown",
            ".md",
            findingsTable(step).getBytes(StandardCharsets.UTF_8)));
    attachments.add(
        attach(
            "metrics.json",
            "application/json",
            ".json",
            SummaryJson.MAPPER.writeValueAsBytes(step.metrics())));
    for (Map.Entry<String, byte[]> c : charts.entrySet()) {
      attachments.add(attach(c.getKey(), "image/png", ".png", c.getValue()));
    }
    lifecycle.updateTestCase(
        tc -> {
          tc.getSteps().addAll(phases);
          tc.getAttachments().addAll(attachments);
          tc.getParameters()
              .add(new Parameter().setName("pods").setValue(Integer.toString(step.pods())));
          tc.getParameters()
              .add(
                  new Parameter()
                      .setName("interfaces")
                      .setValue(Integer.toString(step.interfaces())));
          meta.forEach((k, v) -> tc.getLabels().add(new Label().setName(k).setValue(v)));
          tc.setDescription(description(step));
        });
  }

  /** Whether a probe reported the finding (the target's attach failures belong to none). */
  private static boolean belongs(Finding f, String probe) {
    return f.origin().equals(probe);
  }

  private static StepResult phase(String name, long start, long stop, boolean failed) {
    return new StepResult()
        .setName(name)
        .setStart(start)
        .setStop(Math.max(start, stop))
        .setStatus(failed ? Status.FAILED : Status.PASSED)
        .setStatusDetails(new StatusDetails());
  }

  private Attachment attach(String name, String type, String ext, byte[] content) {
    String source = UUID.randomUUID() + "-attachment" + ext;
    lifecycle.writeAttachment(source, new ByteArrayInputStream(content));
    return new Attachment().setName(name).setType(type).setSource(source);
  }

  private static String num(double v) {
    return v == Math.rint(v) ? String.format("%,d", (long) v) : String.format("%.2f", v);
  }

  static String description(StepOutcome s) {
    StringBuilder d =
        new StringBuilder(
            String.format(
                "%,d pods, %,d interfaces on the node. Step took %,d ms (scale %,d of which %,d"
                    + " the harness's own, settle %,d of which %,d looking at addresses, probes %,d,"
                    + " traffic %,d); harness overhead %.1f%%.",
                s.pods(),
                s.interfaces(),
                s.durations().total(),
                s.durations().scale(),
                s.durations().scaleOrchestration(),
                s.durations().settle(),
                s.durations().settlePolling(),
                s.durations().probes(),
                s.durations().traffic(),
                100 * s.durations().overheadShare()));
    for (String note : s.notes()) {
      d.append("\n\nNote: ").append(note);
    }
    return d.toString();
  }

  /** The findings of a step as a Markdown table, evidence included. */
  public static String findingsTable(StepOutcome s) {
    StringBuilder md = new StringBuilder();
    md.append(
        "| code | severity | subject | message | evidence | recommendation |\n|---|---|---|---|---|---|\n");
    if (s.findings().isEmpty()) {
      md.append("| – | – | – | no findings | – | – |\n");
    }
    for (Finding f : s.findings()) {
      StringBuilder ev = new StringBuilder();
      for (Evidence e : f.evidence().subList(0, Math.min(5, f.evidence().size()))) {
        ev.append(ev.length() == 0 ? "" : "<br>").append(e.toString().replace("|", "/"));
      }
      md.append("| ")
          .append(f.code())
          .append(" | ")
          .append(f.severity())
          .append(" | ")
          .append(f.subject().replace("|", "/"))
          .append(" | ")
          .append(f.message().replace("|", "/"))
          .append(" | ")
          .append(ev)
          .append(" | ")
          .append(f.recommendation())
          .append(" |\n");
    }
    return md.toString();
  }
}
