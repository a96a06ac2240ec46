package io.kdensity.scale.cli;

import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.run.RunOptions;
import io.kdensity.scale.suite.RampTests;
import io.kdensity.tuning.yaml.ConfigException;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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

  @Override
  public Integer call() {
    return run(run.options(plan, null), !run.noHtml);
  }

  /** Runs the suite for {@code options}; returns the exit code. */
  static int run(RunOptions options, boolean html) {
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
        return ExitCodes.BAD_INPUT;
      }
      System.err.println("kdensity: " + (t == null ? "the ramp did not start" : t.getMessage()));
      return ExitCodes.INFRASTRUCTURE;
    }
    RunSummary rs = SummaryJson.read(file);
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
