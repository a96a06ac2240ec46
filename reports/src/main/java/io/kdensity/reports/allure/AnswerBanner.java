package io.kdensity.reports.allure;

import io.kdensity.reports.answer.RunAnswer;
import io.kdensity.reports.charts.Charts;
import io.kdensity.reports.charts.RampChart;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts the run's answer at the top of a generated Allure report, above the overview: the verdict,
 * the knee, the limiting finding with its cause and evidence, and the chart on which the limit
 * shows ({@code kdensity/<chart>.png} beside {@code index.html}) — and for a run of trials, the
 * chart of every trial's knee. Allure's widgets escape what they show and cannot hold an image, so
 * the answer is a block of the page itself. Written again each time the report is generated; a
 * second call replaces the first block.
 */
public final class AnswerBanner {
  static final String BEGIN = "<!-- kdensity answer -->";
  static final String END = "<!-- /kdensity answer -->";
  static final String CHART_DIR = "kdensity";
  static final String TRIALS_CHART = "trials.png";

  private AnswerBanner() {}

  /**
   * @param report the generated report folder (with {@code index.html})
   * @param s the run it reports
   * @throws UncheckedIOException if the report cannot be read or written
   */
  public static void inject(Path report, RunSummary s) {
    Path index = report.resolve("index.html");
    try {
      String html = Files.readString(index, StandardCharsets.UTF_8);
      RunAnswer answer = RunAnswer.of(s);
      String chartSrc = null;
      if (answer.chart().isPresent()) {
        RampChart c = answer.chart().get();
        Path dir = Files.createDirectories(report.resolve(CHART_DIR));
        Files.write(dir.resolve(c.fileName()), Charts.chart(c, s.steps(), s.knee()));
        chartSrc = CHART_DIR + "/" + c.fileName();
      }
      String trialsSrc = null;
      if (s.trials().size() > 1) {
        Path dir = Files.createDirectories(report.resolve(CHART_DIR));
        Files.write(dir.resolve(TRIALS_CHART), Charts.trials(s.trials()));
        trialsSrc = CHART_DIR + "/" + TRIALS_CHART;
      }
      Files.writeString(
          index,
          withBlock(html, block(s.verdict(), answer, chartSrc, trialsSrc)),
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot put the answer into " + index + ": " + e.getMessage(), e);
    }
  }

  /** {@code html} with the block right after {@code <body>}, replacing an earlier one. */
  static String withBlock(String html, String block) {
    int b = html.indexOf(BEGIN);
    int e = html.indexOf(END);
    if (b >= 0 && e > b) {
      return html.substring(0, b) + block + html.substring(e + END.length());
    }
    int body = html.indexOf("<body>");
    if (body < 0) {
      throw new IllegalArgumentException("not an Allure index.html: no <body>");
    }
    int at = body + "<body>".length();
    return html.substring(0, at) + "\n" + block + html.substring(at);
  }

  static String block(Verdict verdict, RunAnswer a, String chartSrc) {
    return block(verdict, a, chartSrc, null);
  }

  /**
   * @param trialsSrc the chart of every trial's knee, or null for a single run
   */
  static String block(Verdict verdict, RunAnswer a, String chartSrc, String trialsSrc) {
    String color =
        switch (verdict) {
          case PASSED -> "#97cc64";
          case FAILED -> "#fd5a3e";
          case ERROR -> "#ffd050";
          case INTERRUPTED -> "#aaaaaa";
        };
    StringBuilder h = new StringBuilder();
    h.append(BEGIN)
        .append("\n<div id=\"kdensity-answer\" style=\"font-family:sans-serif;padding:12px 20px;")
        .append("border-left:8px solid ")
        .append(color)
        .append(";background:#fafafa;display:flex;gap:24px;align-items:flex-start;")
        .append("position:relative;z-index:10\">\n<div style=\"flex:1;min-width:0\">\n")
        .append("<h2 style=\"margin:0 0 8px 0;font-size:20px\">")
        .append(escape(a.headline()))
        .append("</h2>\n<table style=\"border-collapse:collapse;font-size:14px\">\n");
    row(h, "Verdict", verdict.text());
    row(h, "Knee", a.knee());
    row(h, "Limiting finding", a.limiting());
    if (!a.cause().isEmpty()) {
      row(h, "Cause", a.cause());
    }
    for (String ev : a.evidence()) {
      row(h, "Evidence", ev);
    }
    h.append("</table>\n</div>\n");
    image(h, chartSrc, "the chart of the limiting finding");
    image(h, trialsSrc, "the knee of every trial");
    return h.append("</div>\n").append(END).toString();
  }

  /** A linked chart image, or nothing without one. */
  private static void image(StringBuilder h, String src, String alt) {
    if (src == null) {
      return;
    }
    h.append("<a href=\"")
        .append(escape(src))
        .append("\"><img src=\"")
        .append(escape(src))
        .append("\" alt=\"")
        .append(escape(alt))
        .append("\" style=\"height:260px\"></a>\n");
  }

  private static void row(StringBuilder h, String name, String value) {
    h.append("<tr><th style=\"text-align:left;padding:2px 12px 2px 0;vertical-align:top\">")
        .append(escape(name))
        .append("</th><td style=\"padding:2px 0\">")
        .append(escape(value))
        .append("</td></tr>\n");
  }

  /** Text as HTML: the five characters HTML gives meaning to, as entities. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
