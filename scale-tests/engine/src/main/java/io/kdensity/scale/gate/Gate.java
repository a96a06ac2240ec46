package io.kdensity.scale.gate;

import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares a run with a baseline under rules. A passing run with no knee counts as "at least its
 * largest step"; a knee below the baseline's beyond the allowed drop is a regression.
 */
public final class Gate {

  /** A rule's outcome in the table; only FAIL fails the gate. */
  public enum Outcome {
    PASS,
    FAIL,
    /** Passed, with a caveat (e.g. the baseline was recorded on other hardware). */
    WARN,
    /** Could not be judged (nothing comparable measured). */
    SKIP
  }

  /** One row of the gate table. */
  public record Row(String rule, String baseline, String now, Outcome outcome, String detail) {}

  public record Result(List<Row> rows) {
    public boolean passed() {
      return rows.stream().noneMatch(r -> r.outcome() == Outcome.FAIL);
    }
  }

  private Gate() {}

  public static Result evaluate(RunSummary baseline, RunSummary now, List<GateRule> rules) {
    List<Row> rows = new ArrayList<>();
    if (!sameHardware(baseline, now)) {
      rows.add(
          new Row(
              "same node hardware as the baseline",
              facts(baseline),
              facts(now),
              Outcome.WARN,
              "the baseline was recorded on other hardware or kernel: differences may not be regressions"));
    }
    if ((baseline.steady() == null) != (now.steady() == null)) {
      rows.add(
          new Row(
              "same measurement as the baseline",
              measurement(baseline),
              measurement(now),
              Outcome.WARN,
              "a steady-state knee and a plain ramp's differ by design: record the baseline the"
                  + " way the gated runs are made (ramp --steady or not)"));
    }
    for (GateRule r : rules) {
      rows.add(r.evaluate(baseline, now));
    }
    return new Result(rows);
  }

  private static String measurement(RunSummary s) {
    return s.steady() == null ? "plain ramp" : "steady-state ramp";
  }

  private static String facts(RunSummary s) {
    return s.node().cpuModel()
        + ", "
        + s.node().logicalCpus()
        + " CPUs, kernel "
        + s.node().kernel();
  }

  private static boolean sameHardware(RunSummary a, RunSummary b) {
    return a.node().cpuModel().equals(b.node().cpuModel())
        && a.node().logicalCpus() == b.node().logicalCpus()
        && a.node().kernel().equals(b.node().kernel());
  }

  /** The knee as pods, or the largest passing step (as a lower bound) if the run has none. */
  static double kneePods(RunSummary s) {
    if (s.knee() != null) {
      return s.knee().firstFailingPods();
    }
    return s.steps().stream().mapToInt(StepOutcome::pods).max().orElse(0);
  }

  /** A metric at a pod count (the last step with that count), or null. */
  static Double metricAt(RunSummary s, int pods, String m) {
    return s.steps().stream()
        .filter(o -> o.pods() == pods && o.metrics().containsKey(m))
        .map(o -> o.metrics().get(m))
        .reduce((a, c) -> c)
        .orElse(null);
  }

  static String fmt(double v) {
    return v == Math.rint(v) ? String.format("%,d", (long) v) : String.format("%,.1f", v);
  }

  static String fmtLimit(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** The table as text. */
  public static String table(Result res) {
    int w = Math.max(20, res.rows().stream().mapToInt(r -> r.rule().length()).max().orElse(20));
    StringBuilder sb =
        new StringBuilder(
            String.format(
                "%-" + w + "s  %-28s  %-28s  %s%n", "rule", "baseline", "now", "verdict"));
    for (Row r : res.rows()) {
      sb.append(
          String.format(
              "%-" + w + "s  %-28s  %-28s  %s%s%n",
              r.rule(),
              cut(r.baseline()),
              cut(r.now()),
              r.outcome(),
              r.detail().isEmpty() ? "" : "  " + r.detail()));
    }
    sb.append(res.passed() ? "gate PASSED" : "gate FAILED: regression").append('\n');
    return sb.toString();
  }

  private static String cut(String s) {
    return s.length() <= 28 ? s : s.substring(0, 25) + "...";
  }

  /** JUnit XML: one test case per rule, a failure per regression. */
  public static String junit(Result res) {
    StringBuilder x = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    long failures = res.rows().stream().filter(r -> r.outcome() == Outcome.FAIL).count();
    long skipped = res.rows().stream().filter(r -> r.outcome() == Outcome.SKIP).count();
    x.append(
        String.format(
            "<testsuite name=\"kdensity gate\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">%n",
            res.rows().size(), failures, skipped));
    for (Row r : res.rows()) {
      x.append("  <testcase classname=\"kdensity.gate\" name=\"")
          .append(esc(r.rule()))
          .append("\">");
      String msg =
          "baseline "
              + r.baseline()
              + ", now "
              + r.now()
              + (r.detail().isEmpty() ? "" : " (" + r.detail() + ")");
      switch (r.outcome()) {
        case FAIL -> x.append("<failure message=\"").append(esc(msg)).append("\"/>");
        case SKIP -> x.append("<skipped message=\"").append(esc(r.detail())).append("\"/>");
        case WARN ->
            x.append("<system-out>")
                .append(esc("warning: " + r.detail() + "; " + msg))
                .append("</system-out>");
        case PASS -> x.append("<system-out>").append(esc(msg)).append("</system-out>");
      }
      x.append("</testcase>\n");
    }
    return x.append("</testsuite>\n").toString();
  }

  private static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
