package io.kdensity.scale.cli;

import io.kdensity.probes.finding.Recommendation;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.reports.recommend.RecommendationsWriter;
import io.kdensity.scale.run.Recommendations;
import io.kdensity.tuning.recommend.RecommendedProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kdensity recommend}: recommendations and a ready profile file from a run's summary. */
@Command(
    name = "recommend",
    mixinStandardHelpOptions = true,
    description =
        "Write recommendations.md/.json and a profile with every recommended setting, from a run's summary.json.")
public final class RecommendCommand implements Callable<Integer> {
  @Option(names = "--summary", required = true, description = "summary.json of a run")
  Path summary;

  @Option(names = "--out", description = "Folder for the outputs. Default: the summary's folder")
  Path out;

  @Option(
      names = "--target-pods",
      description = "Density to size for. Default: the run's largest step")
  Integer targetPods;

  @Override
  public Integer call() throws Exception {
    RunSummary s = SummaryJson.read(summary);
    Path dir = out != null ? out : summary.toAbsolutePath().getParent();
    int pods =
        targetPods != null
            ? targetPods
            : s.steps().stream().mapToInt(StepOutcome::pods).max().orElse(0);
    List<Recommendation> recs =
        Recommendations.of(
            s.steps(), s.knee(), pods, s.secondaryPerPod() + 1, s.node().logicalCpus());
    RunSummary withRecs = s.withRecommendations(recs);
    Path profile = dir.resolve("recommended-profile.yaml");
    Files.createDirectories(dir);
    Files.writeString(
        profile,
        RecommendedProfile.yaml(
            recs,
            "recommended-" + s.runId(),
            s.profile().isEmpty() ? "kernel-defaults" : s.profile(),
            "kdensity run " + s.runId()),
        StandardCharsets.UTF_8);
    RecommendationsWriter.write(withRecs, dir, profile);
    System.out.println("recommendations: " + dir.resolve("recommendations.md"));
    System.out.println("profile:         " + profile);
    for (Recommendation r : recs) {
      System.out.println("  - " + r.title() + " (" + r.code() + ")");
    }
    return 0;
  }
}
