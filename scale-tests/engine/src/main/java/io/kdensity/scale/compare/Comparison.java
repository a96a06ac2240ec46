package io.kdensity.scale.compare;

import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.cpu.PacketCpuProbe;
import io.kdensity.probes.neigh.NeighbourProbe;
import io.kdensity.reports.charts.Charts;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.metrics.EngineMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of the same plan under several profiles. A run without a knee counts as "at least its
 * largest step" and is marked with ≥.
 *
 * @param plan plan name
 * @param runs profile → its runs (repeats)
 */
public record Comparison(String plan, Map<String, List<RunSummary>> runs) {
  private static final NeighbourProbe.FamilyMetrics NEIGH_V6 = NeighbourProbe.Family.V6.metrics();

  /** Knee statistics of one profile over its repeats. */
  public record KneeStats(
      String profile, int runs, double min, double median, double max, boolean lowerBound) {}

  public List<KneeStats> knees() {
    List<KneeStats> out = new ArrayList<>();
    runs.forEach(
        (p, list) -> {
          List<Double> k = list.stream().map(Comparison::knee).sorted().toList();
          boolean lb = list.stream().anyMatch(s -> s.knee() == null);
          out.add(
              new KneeStats(p, k.size(), k.get(0), k.get(k.size() / 2), k.get(k.size() - 1), lb));
        });
    return out;
  }

  /** Knee pods of a run; without a knee, its largest step (a lower bound). */
  static double knee(RunSummary s) {
    return s.knee() != null
        ? s.knee().firstFailingPods()
        : s.steps().stream().mapToInt(StepOutcome::pods).max().orElse(0);
  }

  /**
   * Markdown: knee per profile, then per-step deltas of the key metrics against the first profile.
   */
  public String markdown() {
    StringBuilder md = new StringBuilder("# kdensity compare — " + plan + "\n\n");
    md.append(
        "| profile | runs | knee min | knee median | knee max | limited by |\n|---|---|---|---|---|---|\n");
    for (KneeStats k : knees()) {
      RunSummary first = runs.get(k.profile()).get(0);
      String by =
          first.knee() == null || first.knee().limiting().isEmpty()
              ? "–"
              : first.knee().limiting().get(0).code().name();
      String ge = k.lowerBound() ? "≥ " : "";
      md.append(
          String.format(
              "| %s | %d | %s%.0f | %s%.0f | %s%.0f | %s |%n",
              k.profile(), k.runs(), ge, k.min(), ge, k.median(), ge, k.max(), by));
    }
    md.append(
        "\nPods at the knee (first failing step, bisected); ≥ means no step failed up to that many pods.\n\n");
    List<String> profiles = new ArrayList<>(runs.keySet());
    String base = profiles.get(0);
    for (String metric :
        List.of(
            NEIGH_V6.entries().name(),
            NEIGH_V6.tableFulls().name(),
            IpLossProbe.LOST.name(),
            EngineMetrics.ATTACH.p99().name(),
            PacketCpuProbe.CYCLES_PER_HOP.name(),
            PacketCpuProbe.CYCLES_PER_DELIVERED.name())) {
      md.append("## ").append(metric).append(" per step (first run of each profile)\n\n| pods |");
      profiles.forEach(p -> md.append(' ').append(p).append(" |"));
      profiles.subList(1, profiles.size()).forEach(p -> md.append(" Δ ").append(p).append(" |"));
      md.append("\n|---|").append("---|".repeat(profiles.size() * 2 - 1)).append('\n');
      for (int pods : podCounts()) {
        md.append("| ").append(pods).append(" |");
        Double b = value(base, pods, metric);
        for (String p : profiles) {
          Double v = value(p, pods, metric);
          md.append(' ').append(v == null ? "–" : fmt(v)).append(" |");
        }
        for (String p : profiles.subList(1, profiles.size())) {
          Double v = value(p, pods, metric);
          md.append(' ')
              .append(v == null || b == null ? "–" : (v - b >= 0 ? "+" : "") + fmt(v - b))
              .append(" |");
        }
        md.append('\n');
      }
      md.append('\n');
    }
    return md.toString();
  }

  private List<Integer> podCounts() {
    return runs.values().stream()
        .map(l -> l.get(0))
        .flatMap(s -> s.steps().stream())
        .map(StepOutcome::pods)
        .distinct()
        .sorted()
        .toList();
  }

  private Double value(String profile, int pods, String metric) {
    return runs.get(profile).get(0).steps().stream()
        .filter(o -> o.pods() == pods && o.metrics().containsKey(metric))
        .map(o -> o.metrics().get(metric))
        .reduce((a, b) -> b)
        .orElse(null);
  }

  private static String fmt(double v) {
    return v == Math.rint(v) ? String.format("%,d", (long) v) : String.format("%,.1f", v);
  }

  /** Charts with one series per profile and each profile's knee marked. */
  public Map<String, byte[]> charts() {
    Map<String, byte[]> out = new LinkedHashMap<>();
    List<Charts.Series> knee = new ArrayList<>();
    int i = 0;
    for (KneeStats k : knees()) {
      knee.add(
          new Charts.Series(
              k.profile() + (k.lowerBound() ? " (no knee: ≥)" : ""),
              List.of(
                  new double[] {i, k.min()},
                  new double[] {i + 0.5, k.median()},
                  new double[] {i + 1, k.max()})));
      i += 2;
    }
    out.put(
        "compare-knee.png",
        Charts.line(
            "Knee per profile (min, median, max over repeats)",
            "profile",
            "pods at the knee",
            knee,
            List.of(),
            null));
    for (String[] m :
        List.of(
            new String[] {NEIGH_V6.entries().name(), "Neighbour entries per profile"},
            new String[] {IpLossProbe.LOST.name(), "Lost addresses per profile"},
            new String[] {EngineMetrics.ATTACH.p99().name(), "Attach p99 per profile (ms)"})) {
      List<Charts.Series> series = new ArrayList<>();
      Map<String, Double> knees = new LinkedHashMap<>();
      runs.forEach(
          (p, list) -> {
            RunSummary s = list.get(0);
            series.add(
                Charts.series(
                    p,
                    s.steps().stream().sorted(Comparator.comparingInt(StepOutcome::pods)).toList(),
                    o -> o.metrics().get(m[0]),
                    m[0]));
            if (s.knee() != null) {
              knees.put(p, (double) s.knee().interfaces());
            }
          });
      out.put(
          "compare-" + m[0].replace('.', '-') + ".png",
          Charts.lines(m[1], "pod interfaces on the node", m[0], series, knees));
    }
    return out;
  }
}
