package io.kdensity.scale.cli;

import io.kdensity.scale.run.RunOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code kdensity soak}: brings the node to N pods once and holds them for a duration, with a probe
 * sweep and the step traffic every interval, pods churning and links flapping; finds leaks and
 * drift. Runs through the same JUnit suite as a ramp, one test per window.
 */
@Command(
    name = "soak",
    mixinStandardHelpOptions = true,
    description = {
      "Hold N pods × the plan's interfaces for a duration with churn and link flaps; find what leaks or drifts.",
      "Values override the plan's soak: section. Writes summary.json (with its soak block), recommendations, JUnit XML, Allure results and the HTML report into --out."
    })
public final class SoakCommand implements Callable<Integer> {
  @Option(
      names = "--plan",
      description = "Plan (YAML); its soak: section gives the defaults. Default: ${DEFAULT-VALUE}",
      defaultValue = "${sys:kdensity.home:-.}/scale-tests/plans/soak-200x5.yaml")
  Path plan;

  @Option(
      names = "--pods",
      description = "Pods to hold (required unless the plan's soak: has pods).")
  String pods;

  @Option(
      names = "--duration",
      description = "How long to hold them, e.g. 10m, 6h. Default: the plan's, else 6h.")
  String duration;

  @Option(
      names = "--interval",
      description =
          "A window: one probe sweep with traffic every interval, e.g. 1m. Default: the plan's, else 1m.")
  String interval;

  @Option(
      names = "--churn",
      description =
          "Pods deleted and created again (a random choice), share/period, e.g. 10%%/5m. Default: the plan's, else none.")
  String churn;

  @Option(
      names = "--link-flap",
      description =
          "Pod links whose carrier goes away for a moment (bridge networks' interfaces: their node-side veth goes down), share/period, e.g. 2%%/1m. Default: the plan's, else none.")
  String linkFlap;

  @Option(
      names = "--inject-leak",
      hidden = true,
      description =
          "Test fault: skip CNI DEL for this share of churned pods (proves leak detection).")
  String leakFault;

  @Mixin RunCommandOptions run;

  @Override
  public Integer call() {
    return RampCommand.run(
        run.options(
            plan, new RunOptions.SoakOptions(pods, duration, interval, churn, linkFlap, leakFault)),
        !run.noHtml);
  }
}
