package io.kdensity.scale.cli;

import io.kdensity.probes.finding.Recommendation;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.Prediction;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.StepOutcome;
import io.kdensity.reports.recommend.RecommendationsWriter;
import io.kdensity.scale.predict.CapacityModel;
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
      description =
          "Density to size for. With a run's capacity model (ramp --predict, predict) the"
              + " neighbour tables are sized from its costs at that density. Default: the density"
              + " the run predicted for, else its largest step")
  Integer targetPods;

  @Override
  public Integer call() throws Exception {
    RunSummary s = SummaryJson.read(summary);
    Path dir = out != null ? out : summary.toAbsolutePath().getParent();
    if (targetPods != null && targetPods < 1) {
      throw new UsageError("--target-pods must be at least 1, found " + targetPods);
    }
    int pods =
        targetPods != null
            ? targetPods
            : s.prediction() != null
                ? s.prediction().pods()
                : s.steps().stream().mapToInt(StepOutcome::pods).max().orElse(0);
    // the run's capacity model sizes the neighbour tables for the target, as the run's own
    // recommendations did for its density
    Prediction model =
        s.prediction() == null
            ? null
            : s.prediction().pods() == pods
                ? s.prediction()
                : CapacityModel.neighbourTablesAt(s.prediction(), pods);
    List<Recommendation> recs =
        Recommendations.of(
            s.steps(),
            s.knee(),
            pods,
            s.secondaryPerPod() + 1,
            s.node().logicalCpus(),
            List.of(),
            model);
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
