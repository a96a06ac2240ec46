package io.kdensity.scale.cli;

import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
      RunSummary slim = s.withoutSnapshots();
      Path tmpDir = Files.createTempDirectory("kd-baseline");
      Path written = SummaryJson.write(slim, tmpDir);
      if (baseline.toAbsolutePath().getParent() != null) {
        Files.createDirectories(baseline.toAbsolutePath().getParent());
      }
      Files.move(written, baseline, StandardCopyOption.REPLACE_EXISTING);
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
