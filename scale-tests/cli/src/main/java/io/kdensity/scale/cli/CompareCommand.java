package io.kdensity.scale.cli;

import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.scale.compare.Comparison;
import io.kdensity.scale.run.RunOptions;
import io.kdensity.scale.run.UserPaths;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kdensity compare}: the same ramp under each profile, applied and reverted in turn. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Run the same plan under each profile (applied and reverted in turn, --repeat times) and compare the knees.",
      "Writes OUT/compare.md, compare.json, charts, and each run's outputs under OUT/<profile>-<n>/."
    })
public final class CompareCommand implements Callable<Integer> {
  @Option(names = "--plan", required = true)
  Path plan;

  @Option(
      names = "--profiles",
      required = true,
      split = ",",
      description = "profiles (names or files), e.g. kernel-defaults,dense-ipv6")
  List<String> profiles;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      description = "runs per profile. Default: ${DEFAULT-VALUE}")
  int repeat;

  @Option(
      names = "--out",
      defaultValue = "kdensity-compare",
      description = "Default: ${DEFAULT-VALUE}")
  Path out;

  @Mixin AttachOption attach;

  @Option(
      names = "--profile-dir",
      defaultValue = "${sys:kdensity.home:-.}/tuning-profiles/profiles",
      split = ":")
  List<Path> profileDirs;

  @Override
  public Integer call() throws Exception {
    if (profiles.size() < 2 || repeat < 1) {
      throw new UsageError("--profiles needs at least two profiles and --repeat at least 1");
    }
    Map<String, List<RunSummary>> runs = new LinkedHashMap<>();
    for (int r = 1; r <= repeat; r++) {
      for (String p : profiles) {
        String label = Path.of(p).getFileName().toString().replaceFirst("\\.ya?ml$", "");
        Path dir = out.resolve(label + "-" + r);
        System.err.printf(
            "[kdensity] compare: run %d/%d with profile %s → %s%n", r, repeat, p, dir);
        int code =
            RampCommand.run(
                new RunOptions(
                    plan, dir, UserPaths.resolveProfile(p), "", attach.attach, profileDirs, 0, ""),
                false);
        if (code != ExitCodes.PASSED && code != ExitCodes.SLO_FAILED) {
          System.err.println(
              "kdensity: compare stopped: the run with " + p + " ended with exit code " + code);
          return code;
        }
        runs.computeIfAbsent(label, k -> new ArrayList<>())
            .add(SummaryJson.read(dir.resolve("summary.json")));
      }
    }
    Comparison c = new Comparison(runs.values().iterator().next().get(0).plan(), runs);
    Files.createDirectories(out);
    Files.writeString(out.resolve("compare.md"), c.markdown(), StandardCharsets.UTF_8);
    Files.write(
        out.resolve("compare.json"),
        SummaryJson.MAPPER.writeValueAsBytes(Map.of("plan", c.plan(), "knees", c.knees())));
    for (Map.Entry<String, byte[]> e : c.charts().entrySet()) {
      Files.write(out.resolve(e.getKey()), e.getValue());
    }
    for (Comparison.KneeStats k : c.knees()) {
      System.out.printf(
          "%-24s knee %s%.0f pods (min %.0f, max %.0f over %d runs)%n",
          k.profile(), k.lowerBound() ? "≥ " : "", k.median(), k.min(), k.max(), k.runs());
    }
    System.out.println("comparison: " + out.resolve("compare.md").toAbsolutePath());
    return ExitCodes.PASSED;
  }
}
