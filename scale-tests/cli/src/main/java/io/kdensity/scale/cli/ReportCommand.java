package io.kdensity.scale.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kdensity report}: (re)generates the Allure HTML report of an output folder. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Generate the Allure HTML report from OUT/allure-results into OUT/allure-report (offline).")
public final class ReportCommand implements Callable<Integer> {
  @Option(
      names = "--out",
      description = "Output folder of a run. Default: ${DEFAULT-VALUE}",
      defaultValue = "kdensity-out")
  Path out;

  @Override
  public Integer call() {
    if (!Files.isDirectory(out.resolve("allure-results"))) {
      throw new UsageError(
          out.resolve("allure-results")
              + " does not exist: run `kdensity ramp --out "
              + out
              + "` first");
    }
    if (!new AllureHtml().generate(out)) {
      return ExitCodes.INFRASTRUCTURE;
    }
    System.out.println("report: " + out.resolve("allure-report/index.html").toAbsolutePath());
    return 0;
  }
}
