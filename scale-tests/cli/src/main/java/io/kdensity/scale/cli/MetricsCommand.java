package io.kdensity.scale.cli;

import io.kdensity.scale.metrics.MetricReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code kdensity metrics}: the step metric reference, as docs/metrics.md holds it. */
@Command(
    name = "metrics",
    mixinStandardHelpOptions = true,
    description =
        "Print every step metric (the names SLOs and gate rules take) with its unit and meaning,"
            + " as Markdown: docs/metrics.md is this output.")
public final class MetricsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.print(MetricReference.markdown());
    return ExitCodes.PASSED;
  }
}
