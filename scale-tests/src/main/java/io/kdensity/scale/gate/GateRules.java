package io.kdensity.scale.gate;

import io.kdensity.scale.plan.StepMetrics;
import io.kdensity.tuning.yaml.Reader;
import io.kdensity.tuning.yaml.YNode;
import io.kdensity.tuning.yaml.YNode.YList;
import io.kdensity.tuning.yaml.YNode.YMap;
import io.kdensity.tuning.yaml.Yaml;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads {@code ci/gate.yaml}: {@code rules: [{type: knee-drop, maxPercent: 5}, …]}. */
public final class GateRules {
  private static final List<String> TYPES =
      List.of("knee-drop", "new-findings", "metric-regression", "absolute", "verdict");

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
        if (m == null) {
          continue;
        }
        r.allowOnly(m, List.of("type", "metric", "maxPercent", "max", "allowed"));
        String type = r.requireString(m, "type");
        if (type != null && !TYPES.contains(type)) {
          r.error(
              m.get("type"),
              "unknown rule type '" + type + "' (one of " + String.join(", ", TYPES) + ")");
          continue;
        }
        String metric = r.string(m, "metric", null);
        if (("metric-regression".equals(type) || "absolute".equals(type)) && metric == null) {
          r.error(m, "a " + type + " rule needs 'metric'");
        }
        if (metric != null && !StepMetrics.isKnown(metric)) {
          r.error(m.get("metric"), "unknown metric '" + metric + "'");
        }
        out.add(
            new GateRule(
                type,
                metric,
                r.number(m, "maxPercent", 0, 0, 1000),
                r.number(m, "max", 0, 0, Double.MAX_VALUE),
                r.strings(m, "allowed"),
                m.line()));
      }
    }
    r.throwIfAny();
    return out;
  }
}
