package io.kdensity.scale.gate;

import java.util.List;

/**
 * One gate rule.
 *
 * @param type {@code knee-drop}, {@code new-findings}, {@code metric-regression}, {@code absolute}
 *     or {@code verdict}
 * @param metric the step metric for metric rules, else null
 * @param maxPercent allowed drop or regression in percent
 * @param max absolute limit
 * @param allowed allowed verdicts for the verdict rule
 * @param line where it was declared (0 for built-in defaults)
 */
public record GateRule(
    String type, String metric, double maxPercent, double max, List<String> allowed, int line) {
  public GateRule {
    allowed = allowed == null ? List.of() : List.copyOf(allowed);
  }

  public String describe() {
    return switch (type) {
      case "knee-drop" -> "knee must not drop more than " + fmt(maxPercent) + "%";
      case "new-findings" -> "no finding code the baseline did not have";
      case "metric-regression" -> metric + " must not regress more than " + fmt(maxPercent) + "%";
      case "absolute" -> metric + " ≤ " + fmt(max) + " at every step";
      case "verdict" -> "verdict is one of " + allowed;
      default -> type;
    };
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
  }

  /** The rules used when no rules file is given. */
  public static List<GateRule> defaults() {
    return List.of(
        new GateRule("verdict", null, 0, 0, List.of("passed", "failed"), 0),
        new GateRule("knee-drop", null, 5, 0, List.of(), 0),
        new GateRule("new-findings", null, 0, 0, List.of(), 0),
        new GateRule("metric-regression", "attach.p99", 20, 0, List.of(), 0));
  }
}
