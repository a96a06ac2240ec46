package io.kdensity.scale.run;

import io.kdensity.probes.finding.Recommendation;
import io.kdensity.reports.allure.AllureRunFiles;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.recommend.RecommendationsWriter;
import io.kdensity.scale.engine.Progress;
import io.kdensity.tuning.recommend.RecommendedProfile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What a finished run leaves in its output folder: {@code summary.json}, {@code
 * recommended-profile.yaml} when a recommendation changes settings, {@code recommendations.md} and
 * the Allure results of the whole run.
 */
final class RunOutputs {
  private final Path out;
  private final Progress progress;

  RunOutputs(Path out, Progress progress) {
    this.out = out;
    this.progress = progress;
  }

  void write(
      RunSummary summary,
      List<Recommendation> recs,
      String runId,
      String planName,
      String profileName) {
    try {
      SummaryJson.write(summary, out);
      Path profileFile = null;
      if (recs.stream().anyMatch(r -> !r.sysctl().isEmpty() || !r.podSysctl().isEmpty())) {
        profileFile = out.resolve("recommended-profile.yaml");
        Files.writeString(
            profileFile,
            RecommendedProfile.yaml(
                recs,
                "recommended-" + runId,
                profileName.isEmpty() ? "kernel-defaults" : profileName,
                "kdensity run " + runId + " of plan " + planName),
            StandardCharsets.UTF_8);
      }
      RecommendationsWriter.write(summary, out, profileFile);
      AllureRunFiles.write(
          out.resolve("allure-results"),
          summary,
          System.getenv().getOrDefault("KDENSITY_EXECUTOR", "kdensity"),
          null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    progress.step(
        "summary: " + out.resolve("summary.json") + " (verdict " + summary.verdict() + ")");
    progress.step("recommendations: " + out.resolve("recommendations.md"));
  }
}
