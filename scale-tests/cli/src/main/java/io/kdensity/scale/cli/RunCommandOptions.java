package io.kdensity.scale.cli;

import io.kdensity.scale.run.RunOptions;
import io.kdensity.scale.run.UserPaths;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every command that runs the suite on a node shares ({@code ramp}, {@code soak}):
 * where the outputs go, the profile, the target, interfaces and attach mode overrides, metrics
 * export, the HTML report.
 */
final class RunCommandOptions {
  @Option(
      names = "--out",
      description = "Output folder. Default: ${DEFAULT-VALUE}",
      defaultValue = "kdensity-out")
  Path out;

  @Option(
      names = "--profile",
      description = "Tuning profile to apply for the run (name or file); reverted at the end.")
  String profile;

  @Option(names = "--target", description = "Override the plan's target: local or kube.")
  String target;

  @Mixin AttachOption attach;

  @Option(
      names = "--interfaces",
      paramLabel = "M",
      description =
          "Secondary interfaces a pod, instead of the plan's interfacesPerPod (they cycle through"
              + " its attachments).")
  Integer interfaces;

  @Option(
      names = "--profile-dir",
      description = "Folders with profiles, searched by name. Default: ${DEFAULT-VALUE}",
      defaultValue = "${sys:kdensity.home:-.}/tuning-profiles/profiles",
      split = ":")
  List<Path> profileDirs;

  @Option(
      names = "--prometheus-port",
      description = "Serve live step metrics on 127.0.0.1:PORT/metrics (off by default).",
      defaultValue = "0")
  int prometheusPort;

  @Option(
      names = "--otlp-url",
      description = "Push step metrics to this OTLP/HTTP endpoint (off by default).")
  String otlpUrl;

  @Option(names = "--no-html", description = "Do not generate the Allure HTML report.")
  boolean noHtml;

  /** The run's options for {@code plan}; {@code soak} null for a ramp. */
  RunOptions options(Path plan, RunOptions.SoakOptions soak) {
    if (interfaces != null && interfaces < 1) {
      throw new UsageError("--interfaces must be at least 1, found " + interfaces);
    }
    return new RunOptions(
            plan,
            out,
            UserPaths.resolveProfile(profile),
            target,
            attach.attach,
            profileDirs,
            prometheusPort,
            otlpUrl,
            soak)
        .withInterfaces(interfaces == null ? 0 : interfaces);
  }
}
