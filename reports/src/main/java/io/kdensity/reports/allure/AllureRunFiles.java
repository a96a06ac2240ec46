package io.kdensity.reports.allure;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.reports.answer.RunAnswer;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The run-level files of an Allure results folder: {@code categories.json} (failed steps grouped by
 * bottleneck), {@code environment.properties}, {@code executor.json}, and the {@code history}
 * folder of the previous report, so Allure shows trends across runs.
 */
public final class AllureRunFiles {
  private AllureRunFiles() {}

  /** Bottleneck categories: each finding code's category, matched in the failure message. */
  public static String categoriesJson() {
    Map<String, List<String>> byCategory = new LinkedHashMap<>();
    for (FindingCode c : FindingCode.values()) {
      byCategory.computeIfAbsent(c.category(), k -> new ArrayList<>()).add(c.name());
    }
    List<Map<String, Object>> categories = new ArrayList<>();
    byCategory.forEach(
        (name, codes) ->
            categories.add(
                Map.of(
                    "name",
                    name,
                    "matchedStatuses",
                    List.of("failed"),
                    "messageRegex",
                    "(?s)(" + String.join("|", codes) + ")\\b.*")));
    categories.add(Map.of("name", "Infrastructure errors", "matchedStatuses", List.of("broken")));
    return SummaryJson.MAPPER.writeValueAsString(categories) + "\n";
  }

  /**
   * {@code executor.json}: who ran it, and the report's name — the run's answer, which the
   * overview's summary widget shows as its title.
   */
  static String executorJson(RunSummary s, String executorName, String reportUrl) {
    Map<String, Object> executor = new LinkedHashMap<>();
    executor.put("name", executorName);
    executor.put("type", "kdensity");
    executor.put("buildName", s.plan() + " " + s.runId());
    executor.put("reportName", "kdensity " + s.plan() + ": " + RunAnswer.of(s).title());
    if (reportUrl != null) {
      executor.put("reportUrl", reportUrl);
    }
    return SummaryJson.MAPPER.writeValueAsString(executor) + "\n";
  }

  /** Writes categories, environment and executor into {@code results}. */
  public static void write(Path results, RunSummary s, String executorName, String reportUrl) {
    try {
      Files.createDirectories(results);
      Files.writeString(
          results.resolve("categories.json"), categoriesJson(), StandardCharsets.UTF_8);
      Map<String, String> env = new LinkedHashMap<>();
      // the answer first: the overview's environment widget shows its first rows, in file order
      RunAnswer answer = RunAnswer.of(s);
      env.put("verdict", s.verdict().text());
      env.put("knee", answer.knee());
      env.put("limiting.finding", answer.limiting());
      if (!answer.cause().isEmpty()) {
        env.put("cause", answer.cause());
      }
      for (int i = 0; i < answer.evidence().size(); i++) {
        env.put("evidence." + (i + 1), answer.evidence().get(i));
      }
      answer.chart().ifPresent(c -> env.put("chart", c.fileName() + " (every step's attachments)"));
      env.put("kernel", s.node().kernel());
      env.put("cpu", s.node().cpuModel());
      env.put("cores", Integer.toString(s.node().logicalCpus()));
      env.put("cpu.max.hz", Long.toString(s.node().cpuMaxHz()));
      env.put("nics", String.join(", ", s.node().nics()));
      env.put("profile", s.profile().isEmpty() ? "(none)" : s.profile());
      env.put("target", s.target());
      env.put("attach", s.attach().text());
      env.put("plan", s.plan());
      env.put("kdensity.version", s.kdensityVersion());
      env.put("run", s.runId());
      StringBuilder p = new StringBuilder();
      env.forEach((k, v) -> p.append(k).append('=').append(propertyValue(v)).append('\n'));
      Files.writeString(
          results.resolve("environment.properties"), p.toString(), StandardCharsets.UTF_8);
      Files.writeString(
          results.resolve("executor.json"),
          executorJson(s, executorName, reportUrl),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write Allure run files into " + results + ": " + e.getMessage(), e);
    }
  }

  /**
   * A value as {@code .properties} text: one line, backslashes doubled, and what is not ASCII ("×",
   * "→") as {@code \\uXXXX}, which a reader decodes whatever charset it reads the file in. (Written
   * by hand because {@link java.util.Properties#store} does not keep the rows' order, and the
   * widget shows them in file order.)
   */
  static String propertyValue(String v) {
    StringBuilder out = new StringBuilder();
    for (char c : v.replace('\n', ' ').toCharArray()) {
      if (c == '\\') {
        out.append("\\\\");
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /** Copies {@code <previousReport>/history} into {@code results/history}, if there is one. */
  public static int carryHistory(Path previousReport, Path results) {
    Path from = previousReport.resolve("history");
    if (!Files.isDirectory(from)) {
      return 0;
    }
    try (var files = Files.list(from)) {
      Path to = Files.createDirectories(results.resolve("history"));
      int n = 0;
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        n++;
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Distinct categories of the given codes, for messages. */
  public static Set<String> categories(List<FindingCode> codes) {
    Set<String> out = new LinkedHashSet<>();
    codes.forEach(c -> out.add(c.category()));
    return out;
  }
}
