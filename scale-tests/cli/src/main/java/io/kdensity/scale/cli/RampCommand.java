package io.kdensity.scale.cli;

import io.kdensity.config.yaml.ConfigException;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.run.RunOptions;
import io.kdensity.scale.suite.RampTests;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kdensity ramp}: runs a plan through the same JUnit suite that {@code mvn verify -Pramp}
 * runs.
 */
@Command(
    name = "ramp",
    mixinStandardHelpOptions = true,
    description = {
      "Ramp pods × interfaces on the node in steps, probe every step, find the knee.",
      "Writes summary.json, recommendations.md/.json, JUnit XML, Allure results and the HTML report into --out."
    })
public final class RampCommand implements Callable<Integer> {
  @Option(
      names = "--plan",
      description = "Ramp plan (YAML). Default: ${DEFAULT-VALUE}",
      defaultValue = "${sys:kdensity.home:-.}/scale-tests/plans/default.yaml")
  Path plan;

  @Mixin RunCommandOptions run;

  @Option(
      names = "--trials",
      description =
          "Independent searches for the knee, one full ramp after the other, each in --out/trial-<k>."
              + " --out/summary.json is then the median trial's, with every trial's knee, and the"
              + " answer gives the median and the range; a gate judges trials against trials."
              + " Default: the plan's trials: key, else 1.")
  Integer trials;

  @Option(
      names = "--steady",
      description =
          "Steady-state capacity: a step that fails at once is held with its traffic for one"
              + " REACHABLE lifetime (50 s at kernel defaults) and measured again, so the knee is"
              + " where the node's steady traffic overflows, not where a bring-up burst did; then"
              + " the burst tolerance: how many pods can come up at once to that capacity."
              + " Default: the plan's steady: section.")
  boolean steady;

  @Option(
      names = "--predict",
      description =
          "Calibrate the capacity model on the first two passing steps (each also held in steady"
              + " state: about a minute more per step at kernel defaults) and put its prediction"
              + " for the plan's largest step next to the measured knee, in the answer and"
              + " summary.json. kdensity predict stops after the calibration.")
  boolean predict;

  @Override
  public Integer call() {
    int n;
    try {
      n = trials != null ? trials : PlanLoader.load(plan).trials();
    } catch (ConfigException e) {
      System.err.println("kdensity: bad input, nothing was created:\n" + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (n < 1 || n > PlanLoader.MAX_TRIALS) {
      throw new UsageError("--trials must be 1 to " + PlanLoader.MAX_TRIALS + ", found " + trials);
    }
    RunOptions options =
        run.options(plan, null)
            .withSteady(steady)
            .withPredict(predict ? new RunOptions.Predict(true, 0, false) : RunOptions.Predict.OFF);
    return n == 1 ? run(options, !run.noHtml) : trials(options, n, !run.noHtml);
  }

  /**
   * Runs {@code n} ramps, each into {@code out/trial-<k>}; writes the median trial's summary with
   * every trial's knee into {@code out}. A trial that cannot finish ends the series.
   */
  static int trials(RunOptions options, int n, boolean html) {
    List<RunSummary> done = new ArrayList<>();
    List<RunSummary.Trial> trials = new ArrayList<>();
    for (int k = 1; k <= n; k++) {
      System.out.printf("[kdensity] trial %d of %d%n", k, n);
      Path dir = options.out().resolve("trial-" + k);
      int exit = run(options.withOut(dir), html);
      Path file = dir.resolve("summary.json");
      if (!Files.exists(file)) {
        return exit; // bad input or preflight: every trial would say the same
      }
      RunSummary s = SummaryJson.read(file);
      if (s.verdict() == Verdict.ERROR || s.verdict() == Verdict.INTERRUPTED) {
        System.err.printf("kdensity: trial %d of %d did not finish; no median%n", k, n);
        return ExitCodes.of(s.verdict());
      }
      done.add(s);
      trials.add(
          new RunSummary.Trial(
              k,
              s.knee() == null ? null : s.knee().firstFailingPods(),
              s.knee() == null ? null : s.knee().lastPassingPods(),
              s.verdict(),
              options.out().relativize(file).toString(),
              s.allFindings().stream()
                  .filter(f -> f.severity() == Severity.CRITICAL)
                  .map(Finding::code)
                  .distinct()
                  .sorted()
                  .toList()));
    }
    // the median trial (the lower one of an even count); no knee ranks above every knee
    List<RunSummary> byKnee =
        done.stream()
            .sorted(
                Comparator.comparingInt(
                    x -> x.knee() == null ? Integer.MAX_VALUE : x.knee().firstFailingPods()))
            .toList();
    RunSummary median = byKnee.get((byKnee.size() - 1) / 2).withTrials(trials);
    Path file = SummaryJson.write(median, options.out());
    System.out.println(Report.oneLine(median));
    System.out.println("summary:         " + file.toAbsolutePath() + " (the median trial's)");
    if (html) {
      // the report on top is the median trial's, its answer the trials' with the chart of knees
      int k = done.indexOf(byKnee.get((byKnee.size() - 1) / 2)) + 1;
      copyResults(options.out().resolve("trial-" + k), options.out());
      if (new AllureHtml().generate(options.out())) {
        System.out.println(
            "report:          "
                + options.out().resolve("allure-report/index.html").toAbsolutePath()
                + " (the median trial's, with every trial's knee)");
      }
    }
    return ExitCodes.of(median.verdict());
  }

  /** Replaces {@code to/allure-results} with a copy of {@code from/allure-results}. */
  private static void copyResults(Path from, Path to) {
    Path src = from.resolve("allure-results");
    Path dst = to.resolve("allure-results");
    try {
      if (Files.exists(dst)) {
        try (var old = Files.walk(dst)) {
          for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(p);
          }
        }
      }
      try (var files = Files.walk(src)) {
        for (Path p : files.toList()) {
          Files.copy(p, dst.resolve(src.relativize(p).toString()));
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(
          "cannot copy the median trial's results to " + dst + ": " + e.getMessage(), e);
    }
  }

  /** Runs the suite for {@code options} and reads the summary it wrote. */
  static Launch launch(RunOptions options) {
    Path results = options.out().resolve("allure-results").toAbsolutePath();
    System.setProperty("allure.results.directory", results.toString());
    // The lifecycle is a process-wide singleton; point it at this run's folder before the launcher
    // (and its Allure listener) is created, also when an earlier run in this JVM used another.
    Allure.setLifecycle(new AllureLifecycle(new FileSystemResultsWriter(results)));
    try {
      Files.deleteIfExists(options.out().resolve("summary.json"));
    } catch (IOException e) {
      // a stale summary is replaced below anyway
    }
    LauncherDiscoveryRequest req =
        LauncherDiscoveryRequestBuilder.request()
            .selectors(DiscoverySelectors.selectClass(RampTests.class))
            .configurationParameters(options.asParameters())
            .build();
    Launcher launcher = LauncherFactory.create();
    SummaryGeneratingListener summary = new SummaryGeneratingListener();
    Path junit = options.out().resolve("junit");
    LegacyXmlReportGeneratingListener xml =
        new LegacyXmlReportGeneratingListener(junit, new PrintWriter(System.err));
    launcher.execute(req, summary, xml);
    TestExecutionSummary s = summary.getSummary();
    Path file = options.out().resolve("summary.json");
    if (!Files.exists(file)) {
      // the run did not start: bad input or preflight
      Throwable t =
          s.getFailures().stream()
              .map(TestExecutionSummary.Failure::getException)
              .findFirst()
              .orElse(null);
      if (t instanceof ConfigException) {
        System.err.println("kdensity: bad input, nothing was created:\n" + t.getMessage());
        return new Launch(null, file, junit, ExitCodes.BAD_INPUT);
      }
      System.err.println("kdensity: " + (t == null ? "the ramp did not start" : t.getMessage()));
      return new Launch(null, file, junit, ExitCodes.INFRASTRUCTURE);
    }
    return new Launch(SummaryJson.read(file), file, junit, 0);
  }

  /**
   * What a run of the suite left: its summary (null when it did not start: bad input or preflight,
   * said on stderr) and the exit code for that case.
   */
  record Launch(RunSummary summary, Path file, Path junit, int exit) {}

  /** Runs the suite for {@code options}; returns the exit code. */
  static int run(RunOptions options, boolean html) {
    Launch l = launch(options);
    if (l.summary() == null) {
      return l.exit();
    }
    RunSummary rs = l.summary();
    Path file = l.file();
    Path junit = l.junit();
    if (html) {
      new AllureHtml().generate(options.out());
    }
    System.out.println(Report.oneLine(rs));
    System.out.println("summary:         " + file.toAbsolutePath());
    System.out.println(
        "recommendations: " + options.out().resolve("recommendations.md").toAbsolutePath());
    if (html && Files.exists(options.out().resolve("allure-report/index.html"))) {
      System.out.println(
          "report:          " + options.out().resolve("allure-report/index.html").toAbsolutePath());
    }
    System.out.println("junit xml:       " + junit.toAbsolutePath());
    if (!rs.error().isEmpty() && rs.verdict() != Verdict.INTERRUPTED) {
      System.err.println("kdensity: infrastructure error: " + rs.error());
    }
    return ExitCodes.of(rs.verdict());
  }
}
