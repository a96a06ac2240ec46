package io.kdensity.scale.gate;

import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Compares a run with a baseline under rules. A passing run with no knee counts as "at least its
 * largest step"; a knee below the baseline's beyond the allowed drop is a regression.
 */
public final class Gate {

  /** One row of the gate table. {@code verdict} is PASS, FAIL, WARN or SKIP. */
  public record Row(String rule, String baseline, String now, String verdict, String detail) {}

  public record Result(List<Row> rows) {
    public boolean passed() {
      return rows.stream().noneMatch(r -> r.verdict().equals("FAIL"));
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
              "WARN",
              "the baseline was recorded on other hardware or kernel: differences may not be regressions"));
    }
    for (GateRule r : rules) {
      rows.add(
          switch (r.type()) {
            case "verdict" ->
                new Row(
                    r.describe(),
                    baseline.verdict(),
                    now.verdict(),
                    r.allowed().contains(now.verdict()) ? "PASS" : "FAIL",
                    now.error().isEmpty() ? "" : now.error());
            case "knee-drop" -> knee(r, baseline, now);
            case "new-findings" -> findings(r, baseline, now);
            case "metric-regression" -> regression(r, baseline, now);
            case "absolute" -> absolute(r, now);
            default -> new Row(r.describe(), "", "", "SKIP", "unknown rule");
          });
    }
    return new Result(rows);
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

  private static String kneeText(RunSummary s) {
    return s.knee() == null
        ? "none up to " + (int) kneePods(s) + " pods"
        : s.knee().firstFailingPods() + " pods";
  }

  private static Row knee(GateRule r, RunSummary b, RunSummary n) {
    double kb = kneePods(b);
    double kn = kneePods(n);
    if (n.knee() == null && kn >= kb) {
      return new Row(r.describe(), kneeText(b), kneeText(n), "PASS", "");
    }
    double drop = kb <= 0 ? 0 : 100.0 * (kb - kn) / kb;
    boolean ok = drop <= r.maxPercent();
    return new Row(
        r.describe(),
        kneeText(b),
        kneeText(n),
        ok ? "PASS" : "FAIL",
        String.format("%+.1f%%", -drop));
  }

  private static Set<FindingCode> codes(RunSummary s) {
    return s.steps().stream()
        .flatMap(o -> o.findings().stream())
        .filter(f -> f.severity() == Severity.CRITICAL)
        .map(Finding::code)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Row findings(GateRule r, RunSummary b, RunSummary n) {
    Set<FindingCode> cb = codes(b);
    Set<FindingCode> cn = codes(n);
    Set<FindingCode> added = new TreeSet<>(cn);
    added.removeAll(cb);
    return new Row(
        r.describe(),
        cb.isEmpty() ? "none" : cb.toString(),
        cn.isEmpty() ? "none" : cn.toString(),
        added.isEmpty() ? "PASS" : "FAIL",
        added.isEmpty() ? "" : "new: " + added);
  }

  /** The metric at the largest pod count both runs measured (passing steps preferred). */
  private static Row regression(GateRule r, RunSummary b, RunSummary n) {
    Optional<Integer> pods =
        b.steps().stream()
            .map(StepOutcome::pods)
            .filter(p -> n.steps().stream().anyMatch(o -> o.pods() == p))
            .max(Integer::compare);
    if (pods.isEmpty()) {
      return new Row(r.describe(), "", "", "SKIP", "no pod count measured in both runs");
    }
    Double vb = metric(b, pods.get(), r.metric());
    Double vn = metric(n, pods.get(), r.metric());
    if (vb == null || vn == null) {
      return new Row(
          r.describe(),
          String.valueOf(vb),
          String.valueOf(vn),
          "SKIP",
          "not measured at " + pods.get() + " pods");
    }
    double pct = vb == 0 ? (vn == 0 ? 0 : 100) : 100.0 * (vn - vb) / vb;
    return new Row(
        r.describe(),
        fmt(vb),
        fmt(vn),
        pct <= r.maxPercent() ? "PASS" : "FAIL",
        String.format("%+.1f%% at %d pods", pct, pods.get()));
  }

  private static Double metric(RunSummary s, int pods, String m) {
    return s.steps().stream()
        .filter(o -> o.pods() == pods && o.metrics().containsKey(m))
        .map(o -> o.metrics().get(m))
        .reduce((a, c) -> c)
        .orElse(null);
  }

  private static Row absolute(GateRule r, RunSummary n) {
    double worst =
        n.steps().stream()
            .filter(o -> o.metrics().containsKey(r.metric()))
            .mapToDouble(o -> o.metrics().get(r.metric()))
            .max()
            .orElse(0);
    return new Row(r.describe(), "", fmt(worst), worst <= r.max() ? "PASS" : "FAIL", "");
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.format("%,d", (long) v) : String.format("%,.1f", v);
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
              r.verdict(),
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
    long failures = res.rows().stream().filter(r -> r.verdict().equals("FAIL")).count();
    long skipped = res.rows().stream().filter(r -> r.verdict().equals("SKIP")).count();
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
      switch (r.verdict()) {
        case "FAIL" -> x.append("<failure message=\"").append(esc(msg)).append("\"/>");
        case "SKIP" -> x.append("<skipped message=\"").append(esc(r.detail())).append("\"/>");
        case "WARN" ->
            x.append("<system-out>")
                .append(esc("warning: " + r.detail() + "; " + msg))
                .append("</system-out>");
        default -> x.append("<system-out>").append(esc(msg)).append("</system-out>");
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
