package io.kdensity.reports.allure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.finding.Severity;
import io.kdensity.reports.model.Knee;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.TestRuns;
import io.kdensity.reports.model.Verdict;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnswerBannerTest {
  @TempDir Path report;

  /** What allure-commandline 2.34 writes, shortened. */
  static final String INDEX =
      "<!DOCTYPE html>\n<html dir=\"ltr\" lang=\"en\">\n<head>\n<title>Allure Report</title>\n"
          + "</head>\n<body>\n    <div id=\"alert\"></div>\n    <div id=\"content\"></div>\n"
          + "<script src=\"app.js\"></script>\n</body>\n</html>\n";

  static final Finding FULL_BRIDGE =
      new Finding(
          FindingCode.BRIDGE_PORT_LIMIT,
          Severity.CRITICAL,
          Cause.BRIDGE_FULL,
          "kd-br0",
          "bridge kd-br0 refused port 1024: <Exchange full> & more",
          List.of(new Evidence("plugin said", null, null, "\"Exchange full\"")),
          "target",
          2);

  static RunSummary failed() {
    return TestRuns.summary()
        .steps(TestRuns.step(1, 40).build(), TestRuns.step(2, 60).failed(FULL_BRIDGE).build())
        .knee(new Knee(40, 60, 360, List.of(FULL_BRIDGE), 20))
        .build();
  }

  @Test
  void theAnswerAndItsChartComeFirstOnThePage() throws Exception {
    Files.writeString(report.resolve("index.html"), INDEX);

    AnswerBanner.inject(report, failed());

    String html = Files.readString(report.resolve("index.html"));
    int banner = html.indexOf("id=\"kdensity-answer\"");
    assertThat(banner).isPositive().isLessThan(html.indexOf("<div id=\"content\">"));
    assertThat(html)
        .contains("verdict failed: knee at 60 pods × 5 interfaces")
        .contains(">Cause</th><td style=\"padding:2px 0\">" + Cause.BRIDGE_FULL.summary())
        .contains("<img src=\"kdensity/attach-latency.png\"");
    BufferedImage chart = ImageIO.read(report.resolve("kdensity/attach-latency.png").toFile());
    assertThat(chart.getWidth()).isPositive();
  }

  @Test
  void aRunOfTrialsAnswersWithTheMedianAndShowsEveryTrialsKnee() throws Exception {
    Files.writeString(report.resolve("index.html"), INDEX);
    RunSummary trials =
        failed()
            .withTrials(
                List.of(
                    new RunSummary.Trial(1, 80, 60, Verdict.FAILED, "trial-1/summary.json"),
                    new RunSummary.Trial(2, 60, 40, Verdict.FAILED, "trial-2/summary.json"),
                    new RunSummary.Trial(3, null, null, Verdict.PASSED, "trial-3/summary.json")));

    AnswerBanner.inject(report, trials);

    String html = Files.readString(report.resolve("index.html"));
    assertThat(html)
        .contains("knee at 60 pods (median of 3 trials: 60–80; 1 without a knee) × 5 interfaces")
        .contains("<img src=\"kdensity/trials.png\" alt=\"the knee of every trial\"");
    assertThat(ImageIO.read(report.resolve("kdensity/trials.png").toFile()).getWidth())
        .isPositive();
    // a single run has no trials chart
    Files.writeString(report.resolve("index.html"), INDEX);
    Files.delete(report.resolve("kdensity/trials.png"));
    AnswerBanner.inject(report, failed());
    assertThat(Files.readString(report.resolve("index.html"))).doesNotContain("trials.png");
  }

  @Test
  void whatTheKernelOrAPluginSaidIsTextNotMarkup() throws Exception {
    Files.writeString(report.resolve("index.html"), INDEX);

    AnswerBanner.inject(report, failed());

    String html = Files.readString(report.resolve("index.html"));
    assertThat(html)
        .contains("port 1024: &lt;Exchange full&gt; &amp; more")
        .contains("plugin said: &quot;Exchange full&quot;")
        .doesNotContain("<Exchange full>");
  }

  @Test
  void generatingAgainReplacesTheAnswerInsteadOfAddingOne() throws Exception {
    Files.writeString(report.resolve("index.html"), INDEX);

    AnswerBanner.inject(report, failed());
    AnswerBanner.inject(
        report,
        TestRuns.summary()
            .steps(TestRuns.step(1, 40).build(), TestRuns.step(2, 80).build())
            .build());

    String html = Files.readString(report.resolve("index.html"));
    assertThat(html.split(AnswerBanner.BEGIN, -1)).hasSize(2);
    assertThat(html)
        .contains("verdict passed: no knee up to 80 pods × 5 interfaces (2 steps)")
        .doesNotContain("knee at 60")
        .doesNotContain("<img");
  }

  @Test
  void aPageWithoutBodyIsRefusedNotGuessedAt() {
    assertThatThrownBy(() -> AnswerBanner.withBlock("<html></html>", "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an Allure index.html: no <body>");
  }
}
