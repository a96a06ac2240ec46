package io.kdensity.reports.answer;

import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.Prediction.Headroom;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A prediction as the terminal shows it: the answer, a table of limits, how, what is left out. */
public final class PredictionText {
  private PredictionText() {}

  public static List<String> lines(Prediction p) {
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            "prediction for %,d pods × %d interfaces, %s:",
            p.pods(), p.interfacesPerPod(), basis(p)));
    out.add(
        p.firstToBreak()
            .map(
                h ->
                    String.format(
                        "  first to break: %s at %s (%s)", h.code(), h.range(), h.limit()))
            .orElse(String.format("  no modelled limit breaks up to %,d pods", p.pods())));
    out.add("");
    String row = "  %-48s %20s %28s  %s";
    out.add(
        String.format(
            row, "limit", "size", String.format("need at %,d pods", p.pods()), "breaks at"));
    for (Headroom h : p.limits()) {
      String need =
          h.peakNeed() == h.steadyNeed()
              ? String.format("%,d", h.steadyNeed())
              : String.format("%,d (%,d in a step)", h.steadyNeed(), h.peakNeed());
      out.add(
          String.format(
              row,
              h.limit(),
              String.format("%,d %s", h.size(), unitWord(h)),
              need,
              h.warning() && h.breaksFrom() != null ? h.range() + ", a warning" : h.range()));
    }
    out.add("");
    out.add("how:");
    for (Headroom h : p.limits()) {
      out.add("  - " + h.code() + ": " + h.basis());
    }
    if (!p.unmodelled().isEmpty()) {
      out.add("not modelled (the ramp measures them):");
      p.unmodelled().forEach(u -> out.add("  - " + u));
    }
    return out;
  }

  /** "calibrated at 20 and 40 pods", or what the prediction stands on without its two points. */
  static String basis(Prediction p) {
    List<Integer> at = p.calibration().stream().map(c -> c.pods()).toList();
    if (p.calibrated()) {
      return "calibrated at "
          + at.stream().map(n -> String.format("%,d", n)).collect(Collectors.joining(" and "))
          + " pods";
    }
    return at.isEmpty()
        ? "without calibration (no calibration point: the node failed its first step)"
        : String.format(
            "without calibration (one calibration point, at %,d pods: the measured limits need two)",
            at.get(0));
  }

  private static String unitWord(Headroom h) {
    int cut = h.unit().indexOf(' ');
    return cut < 0 ? h.unit() : h.unit().substring(0, cut);
  }
}
