package io.kdensity.scale.history;

import io.kdensity.config.yaml.Reader;
import io.kdensity.config.yaml.YNode;
import io.kdensity.config.yaml.YNode.YList;
import io.kdensity.config.yaml.YNode.YMap;
import io.kdensity.config.yaml.Yaml;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.scale.gate.GateRule;
import io.kdensity.scale.gate.RankTest;
import io.kdensity.scale.metrics.EngineMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A node's history: a series of runs' {@code summary.json} in the order they started, the knee and
 * the gated latencies of each, and where each series changed level ({@link EDivisive}). A change
 * someone has accepted (a new kernel, a planned profile) is acknowledged in a file, so later runs
 * are judged against the new level without the change being reported again.
 */
public final class History {
  /** The knee series' name. */
  public static final String KNEE = "knee";

  /** The series kdensity follows besides the knee: the latencies the default gate rules name. */
  static final List<String> METRICS =
      List.of(EngineMetrics.ATTACH.p99().name(), EngineMetrics.READY.p99().name());

  /** One run: its id, when it started, and its value in each series (absent where not measured). */
  public record Run(String runId, String started, Map<String, Double> values) {}

  /** A level change of one series. */
  public record Change(
      String series,
      int index,
      Run run,
      double before,
      double after,
      double pValue,
      String acknowledged) {
    /** Whether the series moved the way that is worse: the knee down, a latency up. */
    public boolean worse() {
      return series.equals(KNEE) ? after < before : after > before;
    }
  }

  private History() {}

  /** The summaries under {@code paths} (files, or folders searched for summary.json), by start. */
  public static List<Run> load(List<Path> paths) {
    List<RunSummary> all = new ArrayList<>();
    for (Path p : paths) {
      if (Files.isDirectory(p)) {
        try (Stream<Path> s = Files.walk(p)) {
          s.filter(f -> f.getFileName().toString().equals("summary.json"))
              // a run of trials: its combined summary stands for them
              .filter(f -> !f.getParent().getFileName().toString().startsWith("trial-"))
              .sorted()
              .forEach(f -> all.add(SummaryJson.read(f)));
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
        }
      } else {
        all.add(SummaryJson.read(p));
      }
    }
    all.sort(Comparator.comparing(RunSummary::started));
    int common = all.stream().mapToInt(History::largestPods).min().orElse(0);
    return all.stream().map(s -> run(s, common)).toList();
  }

  private static int largestPods(RunSummary s) {
    return s.steps().stream().mapToInt(StepOutcome::pods).max().orElse(0);
  }

  /**
   * A run's values: its knee (the median of its trials' when it has them; a run without a knee
   * counts as its largest step), and each latency at {@code pods}, the largest step every run of
   * the history measured.
   */
  static Run run(RunSummary s, int pods) {
    Map<String, Double> v = new TreeMap<>();
    v.put(KNEE, knee(s));
    for (String m : METRICS) {
      s.steps().stream()
          .filter(o -> o.pods() == pods && o.metrics().containsKey(m))
          .reduce((a, b) -> b)
          .ifPresent(o -> v.put(m, o.metrics().get(m)));
    }
    return new Run(s.runId(), s.started().toString(), v);
  }

  /** The knee the gate judges: the median of the run's trials' knees, or its own. */
  static double knee(RunSummary s) {
    return RankTest.median(GateRule.KneeDrop.knees(s));
  }

  /** Every series' change points, the acknowledged ones named with their note. */
  public static List<Change> changes(
      List<Run> runs, Map<String, String> acknowledged, EDivisive e) {
    List<Change> out = new ArrayList<>();
    Set<String> series = new java.util.TreeSet<>();
    runs.forEach(r -> series.addAll(r.values().keySet()));
    for (String name : series) {
      List<Run> with = runs.stream().filter(r -> r.values().containsKey(name)).toList();
      double[] x = with.stream().mapToDouble(r -> r.values().get(name)).toArray();
      List<EDivisive.ChangePoint> cps = e.changePoints(x);
      int from = 0;
      for (int c = 0; c < cps.size(); c++) {
        int at = cps.get(c).index();
        int to = c + 1 < cps.size() ? cps.get(c + 1).index() : x.length;
        Run run = with.get(at);
        out.add(
            new Change(
                name,
                at,
                run,
                mean(x, from, at).orElse(Double.NaN),
                mean(x, at, to).orElse(Double.NaN),
                cps.get(c).pValue(),
                acknowledged.get(run.runId() + " " + name)));
        from = at;
      }
    }
    return out;
  }

  private static OptionalDouble mean(double[] x, int from, int to) {
    return java.util.Arrays.stream(x, from, to).average();
  }

  /**
   * An acknowledgement file: {@code acknowledged: [{run: ab12cd, series: knee, note: "kernel
   * 6.6"}]}; keys are "run series".
   */
  public static Map<String, String> acknowledged(Path file) {
    Reader r = new Reader(file.toString());
    YMap root = r.map(Yaml.load(file));
    r.allowOnly(root, List.of("acknowledged"));
    YList list = r.list(root, "acknowledged");
    Map<String, String> out = new TreeMap<>();
    if (list != null) {
      for (YNode n : list.items()) {
        YMap m = r.map(n);
        if (m == null) {
          continue;
        }
        r.allowOnly(m, List.of("run", "series", "note"));
        String run = r.requireString(m, "run");
        String series = r.string(m, "series", KNEE);
        if (run != null) {
          out.put(run + " " + series, r.string(m, "note", "acknowledged"));
        }
      }
    }
    r.throwIfAny();
    return out;
  }
}
