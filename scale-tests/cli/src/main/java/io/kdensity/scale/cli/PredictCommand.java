package io.kdensity.scale.cli;

import io.kdensity.reports.answer.PredictionText;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.run.RunOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kdensity predict}: calibrates the capacity model on the plan's first two steps and prints
 * which limit breaks first at a density, and between which pod counts.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = {
      "Predict which limit breaks first, and between which pod counts, before ramping there.",
      "Runs the plan's first two steps, each also held in steady state with a census of the"
          + " neighbour tables (and, for an incast load, one burst as large as --pods send), then"
          + " prints every modelled limit's size, need and breaking point. Writes summary.json"
          + " with the prediction into --out."
    })
public final class PredictCommand implements Callable<Integer> {
  @Option(
      names = "--plan",
      description = "Ramp plan (YAML). Default: ${DEFAULT-VALUE}",
      defaultValue = "${sys:kdensity.home:-.}/scale-tests/plans/default.yaml")
  Path plan;

  @Mixin RunCommandOptions run;

  @Option(
      names = "--pods",
      description =
          "The density to predict for (interfaces a pod: --interfaces, else the plan's). Default:"
              + " the plan's largest step.")
  Integer pods;

  @Override
  public Integer call() {
    if (pods != null && pods < 1) {
      throw new UsageError("--pods must be at least 1, found " + pods);
    }
    RunOptions options =
        run.options(plan, null)
            .withPredict(new RunOptions.Predict(true, pods == null ? 0 : pods, true));
    RampCommand.Launch l = RampCommand.launch(options);
    if (l.summary() == null) {
      return l.exit();
    }
    RunSummary s = l.summary();
    if (s.prediction() == null) {
      System.out.println(Report.oneLine(s));
      System.err.println("kdensity: no prediction was made (see the lines above)");
      return ExitCodes.INFRASTRUCTURE;
    }
    PredictionText.lines(s.prediction()).forEach(System.out::println);
    System.out.println("summary:         " + l.file().toAbsolutePath());
    if (!s.prediction().calibrated()) {
      System.out.println(Report.oneLine(s));
      System.err.println(
          "kdensity: the node did not pass the plan's first two steps, so the measured limits"
              + " are not predicted and the calibration is the measurement (the line above)");
      return s.verdict() == Verdict.PASSED ? ExitCodes.INFRASTRUCTURE : ExitCodes.of(s.verdict());
    }
    return 0;
  }
}
