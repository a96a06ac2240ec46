package io.kdensity.reports.answer;

import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.reports.charts.RampChart;
import io.kdensity.reports.model.BurstTolerance;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.SoakReport;
import io.kdensity.reports.model.SteadyState;
import java.util.List;
import java.util.Optional;

/**
 * What a run found, as a reader wants it before anything else.
 *
 * @param headline one line: verdict, knee and what limits it
 * @param title a few words of it, for a report's title: verdict, knee, limiting finding's code
 * @param knee the first failing density and what passed below it, or how far the ramp went
 * @param limiting the limiting finding's code and message, or what ended the run
 * @param cause the limiting finding's typed cause, in a few words (empty without one)
 * @param evidence the limiting finding's first evidence lines (at most 3)
 * @param chart the ramp chart on which the limit shows (empty without a limiting finding)
 */
public record RunAnswer(
    String headline,
    String title,
    String knee,
    String limiting,
    String cause,
    List<String> evidence,
    Optional<RampChart> chart) {
  private static final int EVIDENCE_LINES = 3;

  public RunAnswer {
    evidence = List.copyOf(evidence);
  }

  public static RunAnswer of(RunSummary s) {
    if (s.soak() != null) {
      return soak(s, s.soak());
    }
    Knee k = s.knee();
    int secondaries = s.secondaryPerPod();
    if (k == null) {
      int max = s.steps().stream().mapToInt(x -> x.pods()).max().orElse(0);
      String reached = String.format("no knee up to %,d pods × %d interfaces", max, secondaries);
      String ended =
          switch (s.verdict()) {
            case ERROR -> "the run could not finish: " + s.error();
            case INTERRUPTED -> "interrupted";
            case PASSED, FAILED -> "none: every step passed";
          };
      return new RunAnswer(
          String.format(
              "verdict %s: %s (%d steps)%s",
              s.verdict().text(), reached, s.steps().size(), predicted(s)),
          s.verdict().text() + ": " + reached,
          reached,
          ended,
          "",
          List.of(),
          Optional.empty());
    }
    Finding f = k.limiting().isEmpty() ? null : k.limiting().get(0);
    String spread = trials(s);
    String knee =
        String.format(
            "%,d pods%s × %d interfaces (%,d pod interfaces); %,d pods passed",
            k.firstFailingPods(), spread, secondaries, k.interfaces(), k.lastPassingPods());
    // where the cause lives: a knee the control plane, the kubelet or IPAM set is not the node's
    String limiting =
        f == null ? "SLOs" : f.code() + " (" + f.message() + ") — " + f.cause().layer().verdict();
    String which = s.steady() == null ? "knee" : "steady-state knee";
    return new RunAnswer(
        String.format(
            "verdict %s: %s at %,d pods%s × %d interfaces (%,d pod interfaces; %,d pods passed),"
                + " limited by %s%s%s",
            s.verdict().text(),
            which,
            k.firstFailingPods(),
            spread,
            secondaries,
            k.interfaces(),
            k.lastPassingPods(),
            limiting,
            burst(s.steady()),
            predicted(s)),
        String.format(
            "%s: %s at %,d pods%s × %d interfaces, %s",
            s.verdict().text(),
            which,
            k.firstFailingPods(),
            spread,
            secondaries,
            f == null ? "SLOs" : f.code()),
        knee,
        limiting,
        f == null ? "" : f.cause().summary(),
        f == null
            ? List.of()
            : f.evidence().stream().limit(EVIDENCE_LINES).map(Evidence::toString).toList(),
        f == null ? Optional.empty() : Optional.of(RampChart.showing(f.code())));
  }

  /**
   * A soak's answer: how many windows held the pods, and what leaked or drifted, each finding with
   * its rate as the soak detector wrote it (its message) and the window it was first seen at.
   */
  static RunAnswer soak(RunSummary s, SoakReport k) {
    int windows = k.samples().size();
    long passed = k.samples().stream().filter(SoakReport.Sample::passed).count();
    String held =
        String.format(
            "%,d pods × %d interfaces held for %d of %d windows of %ds (%d passed)",
            k.pods(),
            k.secondaryPerPod(),
            windows,
            Math.max(windows, k.durationSeconds() / Math.max(1, k.intervalSeconds())),
            k.intervalSeconds(),
            passed);
    Finding f = k.findings().isEmpty() ? null : k.findings().get(0);
    String found;
    if (f == null) {
      found =
          switch (s.verdict()) {
            case ERROR -> "the soak could not finish: " + s.error();
            case INTERRUPTED -> "interrupted; nothing leaked or drifted until then";
            case PASSED, FAILED -> "nothing leaked or drifted";
          };
    } else {
      Integer at = k.detectedAt().get(f.subject());
      found =
          f.code()
              + " "
              + f.message()
              + (at == null ? "" : " (first seen at window " + at + ")")
              + (k.findings().size() > 1
                  ? String.format("; %d more finding(s)", k.findings().size() - 1)
                  : "");
    }
    return new RunAnswer(
        String.format("verdict %s: soak of %s: %s", s.verdict().text(), held, found),
        s.verdict().text() + ": soak, " + (f == null ? "no leak or drift" : f.code().toString()),
        held,
        found,
        f == null ? "" : f.cause().summary(),
        f == null
            ? List.of()
            : f.evidence().stream().limit(EVIDENCE_LINES).map(Evidence::toString).toList(),
        Optional.empty());
  }

  /**
   * "; burst tolerance at 140 pods: 60 pods at once; 70 at once refused 12 entries" for a
   * steady-state ramp that measured it, "" otherwise.
   */
  static String burst(SteadyState st) {
    if (st == null || st.burst() == null) {
      return "";
    }
    BurstTolerance b = st.burst();
    if (b.overflowed() == null) {
      return String.format(
          "; burst tolerance at %,d pods: at least %,d pods at once (every burst tried fit)",
          b.density(), b.tolerated());
    }
    String refused =
        b.tries().stream()
            .filter(t -> t.burst() == b.overflowed())
            .findFirst()
            .map(t -> String.format("; %,d at once refused %,d entries", t.burst(), t.refused()))
            .orElse("");
    return String.format(
        "; burst tolerance at %,d pods: %,d pods at once%s", b.density(), b.tolerated(), refused);
  }

  /**
   * "; predicted NEIGH_TABLE_OVERFLOW at 93–127 pods, measured 100: as predicted" for a run that
   * calibrated the capacity model ({@code ramp --predict}), "" otherwise. A knee is as predicted
   * when it lies in the first limit's range, rounded up to the knee's own grid (its last passing
   * count below it).
   */
  static String predicted(RunSummary s) {
    Prediction p = s.prediction();
    if (p == null) {
      return "";
    }
    String what =
        p.firstToBreak()
            .map(h -> String.format("predicted %s at %s", h.code(), h.range()))
            .orElse(String.format("predicted: no modelled limit breaks up to %,d pods", p.pods()));
    Knee k = s.knee();
    if (k == null) {
      return "; " + what;
    }
    boolean agrees = p.agrees(k.firstFailingPods(), k.firstFailingPods() - k.lastPassingPods());
    String verdict =
        agrees
            ? "as predicted"
            : p.calibrated()
                ? "NOT as predicted"
                // without its two points the model knows only the limits that need none: a knee
                // below them is one it could not see, not one it got wrong
                : "the node failed before the model's calibration, which then predicts only the"
                    + " limits that need none";
    return String.format("; %s, measured %,d: %s", what, k.firstFailingPods(), verdict);
  }

  /**
   * " (median of 5 trials: 110–140)" for a summary of trials, "" for a single run; trials without a
   * knee are named apart.
   */
  static String trials(RunSummary s) {
    if (s.trials().size() < 2) {
      return "";
    }
    List<Integer> knees =
        s.trials().stream()
            .map(RunSummary.Trial::firstFailingPods)
            .filter(java.util.Objects::nonNull)
            .sorted()
            .toList();
    int none = s.trials().size() - knees.size();
    String range =
        knees.isEmpty()
            ? "no knee"
            : knees.get(0).equals(knees.get(knees.size() - 1))
                ? String.format("all %,d", knees.get(0))
                : String.format("%,d–%,d", knees.get(0), knees.get(knees.size() - 1));
    return String.format(
        " (median of %d trials: %s%s)",
        s.trials().size(), range, none == 0 ? "" : String.format("; %d without a knee", none));
  }
}
