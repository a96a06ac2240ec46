package io.kdensity.scale.gate;

import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.metrics.EngineMetrics;
import io.kdensity.scale.soak.Trend;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * One rule of a gate: it compares the run under judgement with a baseline and yields one row of the
 * gate table. Rules are data ({@code ci/gate.yaml}); each type is a record here.
 */
public sealed interface GateRule {

  /** The rule's {@code type:} word in rule files. */
  enum Type {
    VERDICT("verdict"),
    KNEE_DROP("knee-drop"),
    NEW_FINDINGS("new-findings"),
    METRIC_REGRESSION("metric-regression"),
    ABSOLUTE("absolute"),
    DRIFT("drift");

    private final String word;

    Type(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }

    public static Optional<Type> of(String word) {
      return Arrays.stream(values()).filter(t -> t.word.equals(word)).findFirst();
    }

    public static List<String> words() {
      return Arrays.stream(values()).map(Type::word).toList();
    }
  }

  /** Where the rule was declared (0 for a built-in default). */
  int line();

  /** The rule as a person reads it, e.g. "knee must not drop more than 5%". */
  String describe();

  /** Judges {@code now} against {@code baseline}. */
  Gate.Row evaluate(RunSummary baseline, RunSummary now);

  /** The run must end with one of the allowed verdicts (errors and interruptions fail). */
  record VerdictIn(List<Verdict> allowed, int line) implements GateRule {
    public VerdictIn {
      allowed = List.copyOf(allowed);
    }

    @Override
    public String describe() {
      return "verdict is one of " + allowed;
    }

    @Override
    public Gate.Row evaluate(RunSummary b, RunSummary n) {
      return new Gate.Row(
          describe(),
          b.verdict().text(),
          n.verdict().text(),
          allowed.contains(n.verdict()) ? Gate.Outcome.PASS : Gate.Outcome.FAIL,
          n.error());
    }
  }

  /**
   * The knee may not drop below the baseline's beyond its noise. A knee is a sample: on an
   * unchanged node it moves by more than a bisection step from run to run (which of the earlier
   * steps' neighbour entries the kernel's timers still hold when a step's burst arrives). So the
   * rule compares the trials of both runs ({@code ramp --trials N}): it fails only when the run's
   * knees lie lower than the baseline's by a one-sided exact rank test (p ≤ {@code alpha})
   * <em>and</em> the median dropped by more than {@code maxPercent}. With fewer than {@code
   * minTrials} trials on either side it cannot judge and says so (WARN), unless the run held more
   * than the baseline's knee without one of its own.
   */
  record KneeDrop(double maxPercent, double alpha, int minTrials, int line) implements GateRule {
    /** The default significance: a regression this unlikely under noise alone fails. */
    public static final double ALPHA = 0.05;

    /**
     * The fewest trials a side needs: with 3 against 3 the lowest possible p is 1/20 = 0.05, so
     * only a complete separation reaches α 0.05; 5 against 5 reaches 1/252.
     */
    public static final int MIN_TRIALS = 3;

    @Override
    public String describe() {
      return "knee must not drop more than "
          + Gate.fmtLimit(maxPercent)
          + "% beyond its noise (p ≤ "
          + Gate.fmtLimit(alpha)
          + ")";
    }

    @Override
    public Gate.Row evaluate(RunSummary b, RunSummary n) {
      double kb = Gate.kneePods(b);
      double kn = Gate.kneePods(n);
      if (n.knee() == null && kn >= kb) {
        return new Gate.Row(describe(), kneeText(b), kneeText(n), Gate.Outcome.PASS, "");
      }
      double[] base = knees(b);
      double[] now = knees(n);
      if (RankTest.median(now) >= RankTest.median(base)) {
        return new Gate.Row(
            describe(),
            trialsText(base),
            trialsText(now),
            Gate.Outcome.PASS,
            base.length < minTrials || now.length < minTrials ? "" : "not lower");
      }
      if (base.length < minTrials || now.length < minTrials) {
        return new Gate.Row(
            describe(),
            kneeText(b),
            kneeText(n),
            Gate.Outcome.WARN,
            String.format(
                "cannot judge: %d trial(s) in the baseline and %d in this run, a knee's noise"
                    + " needs %d on each side (record both with ramp --trials %d); one run each"
                    + " differ by %+.1f%%",
                base.length,
                now.length,
                minTrials,
                Math.max(minTrials, 5),
                kb <= 0 ? 0 : -100.0 * (kb - kn) / kb));
      }
      RankTest t = RankTest.lower(now, base);
      double drop = t.medianDropPercent();
      boolean fails = t.pValue() <= alpha && drop > maxPercent;
      return new Gate.Row(
          describe(),
          trialsText(base),
          trialsText(now),
          fails ? Gate.Outcome.FAIL : Gate.Outcome.PASS,
          String.format(
              "median %+.1f%%, p=%.3f%s",
              -drop,
              t.pValue(),
              fails
                  ? ""
                  : t.pValue() <= alpha
                      ? ": lower, but within " + Gate.fmtLimit(maxPercent) + "%"
                      : drop > maxPercent ? ": within the noise" : ""));
    }

    /**
     * The knees of the summary's trials (a trial without a knee counts as its largest step, a lower
     * bound), or the summary's own knee when it has no trials.
     */
    public static double[] knees(RunSummary s) {
      if (s.trials().size() < 2) {
        return new double[] {Gate.kneePods(s)};
      }
      double largest = s.steps().stream().mapToInt(StepOutcome::pods).max().orElse(0);
      return s.trials().stream()
          .mapToDouble(t -> t.firstFailingPods() == null ? largest : t.firstFailingPods())
          .toArray();
    }

    private static String trialsText(double[] knees) {
      return "median "
          + Gate.fmt(RankTest.median(knees))
          + " of "
          + Arrays.stream(knees).sorted().mapToObj(Gate::fmt).collect(Collectors.joining(","));
    }

    private static String kneeText(RunSummary s) {
      return s.knee() == null
          ? "none up to " + (int) Gate.kneePods(s) + " pods"
          : s.knee().firstFailingPods() + " pods";
    }
  }

  /**
   * No critical finding code the baseline did not have. With trials, a code of the baseline is one
   * any of its trials had, and a code of the run one most of its trials had: whether addresses are
   * lost beyond a neighbour-table knee (IP_LOSS) depends on GC timing and comes and goes between
   * runs of an unchanged node.
   */
  record NewFindings(int line) implements GateRule {
    @Override
    public String describe() {
      return "no finding code the baseline did not have";
    }

    @Override
    public Gate.Row evaluate(RunSummary b, RunSummary n) {
      Set<FindingCode> cb = baselineCodes(b);
      Set<FindingCode> cn = runCodes(n);
      Set<FindingCode> added = new TreeSet<>(cn);
      added.removeAll(cb);
      return new Gate.Row(
          describe(),
          cb.isEmpty() ? "none" : cb.toString(),
          cn.isEmpty() ? "none" : cn.toString(),
          added.isEmpty() ? Gate.Outcome.PASS : Gate.Outcome.FAIL,
          added.isEmpty() ? "" : "new: " + added);
    }

    /** Every code of the summary, and of any of its trials. */
    static Set<FindingCode> baselineCodes(RunSummary s) {
      Set<FindingCode> all = codes(s);
      s.trials().forEach(t -> all.addAll(t.criticalCodes()));
      return all;
    }

    /** The codes most of the run's trials had, or the summary's own without recorded trials. */
    static Set<FindingCode> runCodes(RunSummary s) {
      boolean recorded = s.trials().stream().anyMatch(t -> !t.criticalCodes().isEmpty());
      if (s.trials().size() < 2 || !recorded) {
        return codes(s);
      }
      return s.trials().stream()
          .flatMap(t -> t.criticalCodes().stream())
          .collect(Collectors.groupingBy(c -> c, Collectors.counting()))
          .entrySet()
          .stream()
          .filter(e -> 2 * e.getValue() > s.trials().size())
          .map(Map.Entry::getKey)
          .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<FindingCode> codes(RunSummary s) {
      return s.allFindings().stream()
          .filter(f -> f.severity() == Severity.CRITICAL)
          .map(Finding::code)
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  /**
   * A metric may grow at most {@code maxPercent} over the baseline, at the largest pod count both
   * runs measured.
   */
  record MetricRegression(String metric, double maxPercent, int line) implements GateRule {
    @Override
    public String describe() {
      return metric + " must not regress more than " + Gate.fmtLimit(maxPercent) + "%";
    }

    @Override
    public Gate.Row evaluate(RunSummary b, RunSummary n) {
      if (EngineMetrics.isLatency(metric) && b.attach() != n.attach()) {
        return new Gate.Row(
            describe(),
            "",
            "",
            Gate.Outcome.SKIP,
            "the baseline attached with "
                + b.attach()
                + ", this run with "
                + n.attach()
                + ": their latencies measure different work");
      }
      Optional<Integer> pods =
          b.steps().stream()
              .map(StepOutcome::pods)
              .filter(p -> n.steps().stream().anyMatch(o -> o.pods() == p))
              .max(Integer::compare);
      if (pods.isEmpty()) {
        return new Gate.Row(
            describe(), "", "", Gate.Outcome.SKIP, "no pod count measured in both runs");
      }
      Double vb = Gate.metricAt(b, pods.get(), metric);
      Double vn = Gate.metricAt(n, pods.get(), metric);
      if (vb == null || vn == null) {
        return new Gate.Row(
            describe(),
            String.valueOf(vb),
            String.valueOf(vn),
            Gate.Outcome.SKIP,
            "not measured at " + pods.get() + " pods");
      }
      double pct = vb == 0 ? (vn == 0 ? 0 : 100) : 100.0 * (vn - vb) / vb;
      return new Gate.Row(
          describe(),
          Gate.fmt(vb),
          Gate.fmt(vn),
          pct <= maxPercent ? Gate.Outcome.PASS : Gate.Outcome.FAIL,
          String.format("%+.1f%% at %d pods", pct, pods.get()));
    }
  }

  /** A metric may not exceed {@code max} at any step. */
  record Absolute(String metric, double max, int line) implements GateRule {
    @Override
    public String describe() {
      return metric + " ≤ " + Gate.fmtLimit(max) + " at every step";
    }

    @Override
    public Gate.Row evaluate(RunSummary b, RunSummary n) {
      double worst =
          n.steps().stream()
              .filter(o -> o.metrics().containsKey(metric))
              .mapToDouble(o -> o.metrics().get(metric))
              .max()
              .orElse(0);
      return new Gate.Row(
          describe(),
          "",
          Gate.fmt(worst),
          worst <= max ? Gate.Outcome.PASS : Gate.Outcome.FAIL,
          "");
    }
  }

  /**
   * Over a soak's windows, a metric may move at most {@code maxPerHour} (a least-squares slope that
   * the {@link Trend} test finds significant); skipped for a run that is not a soak.
   */
  record Drift(String metric, double maxPerHour, int line) implements GateRule {
    @Override
    public String describe() {
      return metric + " must not drift more than " + Gate.fmtLimit(maxPerHour) + "/h over a soak";
    }

    @Override
    public Gate.Row evaluate(RunSummary b, RunSummary n) {
      if (n.soak() == null) {
        return new Gate.Row(describe(), "", "", Gate.Outcome.SKIP, "not a soak");
      }
      Trend.Fit now = fit(n);
      String was = b.soak() == null ? "" : String.format("%+.1f/h", fit(b).perHour());
      if (now.samples() < Trend.MIN_SAMPLES) {
        return new Gate.Row(
            describe(),
            was,
            "",
            Gate.Outcome.SKIP,
            now.samples() + " windows measured it, a trend needs " + Trend.MIN_SAMPLES);
      }
      boolean drifts = now.perHour() > maxPerHour && now.pValue() < Trend.ALPHA;
      return new Gate.Row(
          describe(),
          was,
          String.format("%+.1f/h", now.perHour()),
          drifts ? Gate.Outcome.FAIL : Gate.Outcome.PASS,
          String.format(
              "p=%.4f over %d windows%s",
              now.pValue(),
              now.samples(),
              now.perHour() > maxPerHour && !drifts ? ": not significant (noise)" : ""));
    }

    private Trend.Fit fit(RunSummary s) {
      List<Trend.Point> points = Trend.points(s.soak().samples(), metric);
      return Trend.fit(points, points.size());
    }
  }

  /** The rules used when no rules file is given. */
  static List<GateRule> defaults() {
    return List.of(
        new VerdictIn(List.of(Verdict.PASSED, Verdict.FAILED), 0),
        new KneeDrop(10, KneeDrop.ALPHA, KneeDrop.MIN_TRIALS, 0),
        new NewFindings(0),
        new MetricRegression(EngineMetrics.ATTACH.p99().name(), 20, 0));
  }
}
