package io.kdensity.reports.recommend;

import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Recommendation;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.BurstTolerance;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the recommendations a person reads first: the knee in one line, then the problems in order
 * of impact, each with its evidence and the exact settings or design change, and the profile file
 * to try.
 */
public final class RecommendationsWriter {
  private RecommendationsWriter() {}

  /**
   * @param profileFile the generated profile with every recommended setting, or null
   */
  public static void write(RunSummary s, Path dir, Path profileFile) {
    try {
      Files.createDirectories(dir);
      Files.writeString(
          dir.resolve("recommendations.md"), markdown(s, profileFile), StandardCharsets.UTF_8);
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("schemaVersion", RunSummary.SCHEMA_VERSION);
      json.put("runId", s.runId());
      json.put("knee", s.knee());
      json.put("profileFile", profileFile == null ? null : profileFile.toString());
      json.put("recommendations", s.recommendations());
      Files.write(dir.resolve("recommendations.json"), SummaryJson.MAPPER.writeValueAsBytes(json));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write recommendations into " + dir + ": " + e.getMessage(), e);
    }
  }

  public static String markdown(RunSummary s, Path profileFile) {
    StringBuilder md = new StringBuilder();
    md.append("# kdensity recommendations — ")
        .append(s.plan())
        .append(" (run ")
        .append(s.runId())
        .append(")\n\n");
    Knee k = s.knee();
    if (k == null) {
      md.append("**No knee:** every step passed, up to ")
          .append(s.steps().stream().mapToInt(x -> x.pods()).max().orElse(0))
          .append(" pods × ")
          .append(s.secondaryPerPod())
          .append(" interfaces. Raise the ramp's maximum to find the limit.\n\n");
    } else {
      md.append(
          String.format(
              "**Knee:** %sthe node fails at **%,d pods × %d interfaces** (%,d pod interfaces); %,d pods passed.%n%n",
              s.steady() == null
                  ? ""
                  : String.format(
                      "in steady state (a failing step held %d s with its traffic) ",
                      s.steady().holdSeconds()),
              k.firstFailingPods(),
              s.secondaryPerPod(),
              k.interfaces(),
              k.lastPassingPods()));
      BurstTolerance b = s.steady() == null ? null : s.steady().burst();
      if (b != null) {
        md.append(
            String.format(
                "**Burst tolerance:** %s pods brought up at once onto a node holding the rest in"
                    + " steady state reach %,d pods without a refused neighbour entry%s. A rollout"
                    + " or drain that lands more at once needs headroom above this knee.%n%n",
                b.overflowed() == null
                    ? String.format("at least %,d", b.tolerated())
                    : String.format("%,d", b.tolerated()),
                b.density(),
                b.overflowed() == null
                    ? ""
                    : String.format("; %,d at once did not", b.overflowed())));
      }
      md.append("**Limited by:** ");
      for (int i = 0; i < k.limiting().size(); i++) {
        Finding f = k.limiting().get(i);
        md.append(i == 0 ? "" : "; ")
            .append('`')
            .append(f.code())
            .append("` — ")
            .append(f.message());
      }
      md.append("\n\n");
    }
    md.append("Profile in force: ")
        .append(s.profile().isEmpty() ? "none (node as it was)" : "`" + s.profile() + "`")
        .append(". Verdict: **")
        .append(s.verdict())
        .append("**.\n\n");
    if (s.recommendations().isEmpty()) {
      md.append("No recommendation: no finding needs a change.\n");
      return md.toString();
    }
    int n = 1;
    for (Recommendation r : s.recommendations()) {
      md.append("## ")
          .append(n++)
          .append(". ")
          .append(r.title())
          .append(" (`")
          .append(r.code())
          .append("`)\n\n");
      md.append(r.rationale()).append("\n\n");
      if (!r.evidence().isEmpty()) {
        md.append("Evidence:\n\n```\n");
        r.evidence().forEach(e -> md.append(e).append('\n'));
        md.append("```\n\n");
      }
      if (!r.sysctl().isEmpty()) {
        md.append("Node settings (`/etc/sysctl.d/90-kdensity.conf`):\n\n```\n");
        r.sysctl().forEach((key, v) -> md.append(key).append(" = ").append(v).append('\n'));
        md.append("```\n\n");
      }
      if (!r.podSysctl().isEmpty()) {
        md.append("Pod network namespace settings:\n\n```\n");
        r.podSysctl().forEach((key, v) -> md.append(key).append(" = ").append(v).append('\n'));
        md.append("```\n\n");
      }
      r.actions().forEach(a -> md.append("- ").append(a).append('\n'));
      if (!r.actions().isEmpty()) {
        md.append('\n');
      }
    }
    if (profileFile != null) {
      md.append("## Try it\n\nEvery setting above is in `")
          .append(profileFile)
          .append("`:\n\n```\n./kdensity compare --plan ")
          .append(s.planFile())
          .append(" --profiles ")
          .append(s.profile().isEmpty() ? "kernel-defaults" : s.profile())
          .append(',')
          .append(profileFile)
          .append("\n```\n");
    }
    return md.toString();
  }
}
