package io.kdensity.scale.cli;

import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kdensity baseline update}: records a run as the new baseline. */
@Command(
    name = "baseline",
    mixinStandardHelpOptions = true,
    description = "Manage gate baselines.",
    subcommands = {BaselineCommand.Update.class})
public final class BaselineCommand implements Runnable {
  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  @Command(
      name = "update",
      mixinStandardHelpOptions = true,
      description =
          "Record a run's summary.json as the baseline (node facts included, probe snapshots dropped to keep it small).")
  static final class Update implements Callable<Integer> {
    @Option(names = "--summary", required = true)
    Path summary;

    @Option(
        names = "--baseline",
        required = true,
        description = "baseline file to write, e.g. ci/baselines/smoke.json")
    Path baseline;

    @Override
    public Integer call() throws Exception {
      RunSummary s = SummaryJson.read(summary);
      RunSummary slim =
          new RunSummary(
              s.schemaVersion(),
              s.runId(),
              s.kdensityVersion(),
              s.plan(),
              s.planFile(),
              s.target(),
              s.node(),
              s.profile(),
              s.secondaryPerPod(),
              s.started(),
              s.finished(),
              s.steps().stream()
                  .map(
                      o ->
                          new StepOutcome(
                              o.index(),
                              o.pods(),
                              o.interfaces(),
                              o.bisection(),
                              o.passed(),
                              o.started(),
                              o.durations(),
                              o.attach(),
                              o.ready(),
                              o.metrics(),
                              o.slos(),
                              o.findings(),
                              o.probeErrors(),
                              Map.of()))
                  .toList(),
              s.knee(),
              s.verdict(),
              s.error(),
              s.recommendations());
      Path tmpDir = Files.createTempDirectory("kd-baseline");
      Path written = SummaryJson.write(slim, tmpDir);
      if (baseline.toAbsolutePath().getParent() != null) {
        Files.createDirectories(baseline.toAbsolutePath().getParent());
      }
      Files.move(written, baseline, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      Files.deleteIfExists(tmpDir);
      System.out.println(
          "baseline "
              + baseline
              + " ← run "
              + s.runId()
              + " ("
              + s.node().cpuModel()
              + ", "
              + s.node().logicalCpus()
              + " CPUs, kernel "
              + s.node().kernel()
              + ")");
      return 0;
    }
  }
}
