package io.kdensity.scale.gate;

import io.kdensity.config.yaml.Reader;
import io.kdensity.config.yaml.YNode;
import io.kdensity.config.yaml.YNode.YList;
import io.kdensity.config.yaml.YNode.YMap;
import io.kdensity.config.yaml.Yaml;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.metrics.MetricLimit;
import io.kdensity.scale.metrics.StepMetricCatalog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Loads {@code ci/gate.yaml}: {@code rules: [{type: knee-drop, maxPercent: 5}, …]}. */
public final class GateRules {
  private GateRules() {}

  public static List<GateRule> load(Path file) {
    Reader r = new Reader(file.toString());
    YMap root = r.map(Yaml.load(file));
    r.allowOnly(root, List.of("rules"));
    YList list = r.list(root, "rules");
    if (list == null) {
      r.require(root, "rules");
    }
    List<GateRule> out = new ArrayList<>();
    if (list != null) {
      for (YNode n : list.items()) {
        YMap m = r.map(n);
        if (m != null) {
          rule(r, m).ifPresent(out::add);
        }
      }
    }
    r.throwIfAny();
    return out;
  }

  private static Optional<GateRule> rule(Reader r, YMap m) {
    r.allowOnly(
        m,
        List.of(
            "type", "metric", "maxPercent", "max", "maxPerHour", "allowed", "alpha", "minTrials"));
    String word = r.requireString(m, "type");
    if (word == null) {
      return Optional.empty();
    }
    Optional<GateRule.Type> type = GateRule.Type.of(word);
    if (type.isEmpty()) {
      r.error(
          m.get("type"),
          "unknown rule type '"
              + word
              + "' (one of "
              + String.join(", ", GateRule.Type.words())
              + ")");
      return Optional.empty();
    }
    String metric = r.string(m, "metric", null);
    boolean needsMetric =
        type.get() == GateRule.Type.METRIC_REGRESSION
            || type.get() == GateRule.Type.ABSOLUTE
            || type.get() == GateRule.Type.DRIFT;
    if (needsMetric && metric == null) {
      r.error(m, "a " + word + " rule needs 'metric'");
    }
    if (metric != null && StepMetricCatalog.find(metric).isEmpty()) {
      r.error(
          m.get("metric"),
          "unknown metric '"
              + metric
              + "'"
              + StepMetricCatalog.closest(metric)
                  .map(c -> " (did you mean '" + c + "'?)")
                  .orElse(""));
    }
    double maxPercent = r.number(m, "maxPercent", 0, 0, 1000);
    double max = MetricLimit.read(r, m, "max", metric);
    double maxPerHour = r.number(m, "maxPerHour", 0, 0, Double.MAX_VALUE);
    double alpha = r.number(m, "alpha", GateRule.KneeDrop.ALPHA, 0.0001, 0.5);
    int minTrials = (int) r.integer(m, "minTrials", GateRule.KneeDrop.MIN_TRIALS, 2, 50);
    int line = m.line();
    return Optional.of(
        switch (type.get()) {
          case VERDICT -> new GateRule.VerdictIn(verdicts(r, m), line);
          case KNEE_DROP -> new GateRule.KneeDrop(maxPercent, alpha, minTrials, line);
          case NEW_FINDINGS -> new GateRule.NewFindings(line);
          case METRIC_REGRESSION -> new GateRule.MetricRegression(metric, maxPercent, line);
          case ABSOLUTE -> new GateRule.Absolute(metric, max, line);
          case DRIFT -> new GateRule.Drift(metric, maxPerHour, line);
        });
  }

  private static List<Verdict> verdicts(Reader r, YMap m) {
    List<Verdict> out = new ArrayList<>();
    for (String v : r.strings(m, "allowed")) {
      try {
        out.add(Verdict.of(v));
      } catch (IllegalArgumentException e) {
        r.error(m.get("allowed"), e.getMessage());
      }
    }
    if (out.isEmpty()) {
      r.error(m, "a verdict rule needs 'allowed', e.g. [passed, failed]");
    }
    return out;
  }
}
