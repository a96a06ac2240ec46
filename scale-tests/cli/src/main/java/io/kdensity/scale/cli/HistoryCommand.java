package io.kdensity.scale.cli;

import io.kdensity.reports.charts.Charts;
import io.kdensity.scale.history.EDivisive;
import io.kdensity.scale.history.History;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kdensity history}: where a node's knee and latencies changed level over its CI runs. */
@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = {
      "Read a node's runs (summary.json files, or folders holding them), in the order they started,"
          + " and find where the knee and the gated latencies changed level (E-divisive means,"
          + " α 0.01, 499 permutations, at least 3 runs a side).",
      "Exit codes: 0 no unacknowledged change for the worse, 1 one or more, 2 bad input."
    })
public final class HistoryCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "RUN", description = "summary.json files or folders")
  List<Path> runs;

  @Option(
      names = "--ack",
      description =
          "acknowledged changes (YAML: acknowledged: [{run: ID, series: knee, note: why}]): judged"
              + " as the new level, not reported as regressions")
  Path ack;

  @Option(names = "--out", description = "where history-knee.png goes. Default: ${DEFAULT-VALUE}")
  Path out = Path.of("kdensity-history");

  @Override
  public Integer call() throws IOException {
    List<History.Run> series = History.load(runs);
    if (series.size() < 2) {
      throw new UsageError("history needs at least 2 runs, found " + series.size());
    }
    Map<String, String> acknowledged = ack == null ? Map.of() : History.acknowledged(ack);
    List<History.Change> changes = History.changes(series, acknowledged, EDivisive.defaults());
    System.out.printf("%d runs, %s to %s%n", series.size(), first(series), last(series));
    System.out.printf(
        "%-12s  %-8s  %-22s  %12s  %12s  %7s  %s%n",
        "series", "run", "started", "before", "after", "p", "verdict");
    boolean worse = false;
    for (History.Change c : changes) {
      String verdict =
          c.acknowledged() != null
              ? "acknowledged: " + c.acknowledged()
              : c.worse() ? "WORSE" : "better";
      worse |= c.acknowledged() == null && c.worse();
      System.out.printf(
          "%-12s  %-8s  %-22s  %12.1f  %12.1f  %7.3f  %s%n",
          c.series(),
          c.run().runId(),
          c.run().started(),
          c.before(),
          c.after(),
          c.pValue(),
          verdict);
    }
    if (changes.isEmpty()) {
      System.out.println("no change point in any series");
    }
    Files.createDirectories(out);
    List<double[]> knee = new ArrayList<>();
    for (int i = 0; i < series.size(); i++) {
      knee.add(new double[] {i + 1, series.get(i).values().get(History.KNEE)});
    }
    Double lastChange =
        changes.stream()
            .filter(c -> c.series().equals(History.KNEE))
            .map(c -> (double) c.index() + 1)
            .reduce((a, b) -> b)
            .orElse(null);
    Path chart = out.resolve("history-knee.png");
    Files.write(
        chart,
        Charts.line(
            "Knee over the runs" + (lastChange == null ? "" : " (last change marked)"),
            "run (in start order)",
            "pods",
            List.of(new Charts.Series("knee", knee)),
            List.of(),
            lastChange));
    System.out.println("chart: " + chart.toAbsolutePath());
    return worse ? ExitCodes.SLO_FAILED : ExitCodes.PASSED;
  }

  private static String first(List<History.Run> s) {
    return s.get(0).started();
  }

  private static String last(List<History.Run> s) {
    return s.get(s.size() - 1).started();
  }
}
