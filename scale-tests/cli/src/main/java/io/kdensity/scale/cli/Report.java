package io.kdensity.scale.cli;

import io.kdensity.reports.answer.RunAnswer;
import io.kdensity.reports.model.RunSummary;

/** Short texts about a run for the terminal. */
final class Report {
  private Report() {}

  static String oneLine(RunSummary s) {
    return RunAnswer.of(s).headline();
  }
}
