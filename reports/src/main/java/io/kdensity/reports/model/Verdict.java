package io.kdensity.reports.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/** How a run ended; written in lower case in {@code summary.json} and gate rules. */
public enum Verdict {
  /** Every step passed its SLOs. */
  PASSED,
  /** A step failed an SLO: the node is saturated there (the knee). A result, not an error. */
  FAILED,
  /** The harness could not do its job (infrastructure error); the steps so far are reported. */
  ERROR,
  /** Stopped by Ctrl-C or SIGTERM; the steps so far are reported. */
  INTERRUPTED;

  /** {@code passed}, {@code failed}, … as written in files. */
  @JsonValue
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the accepted words
   */
  @JsonCreator
  public static Verdict of(String text) {
    return Arrays.stream(values())
        .filter(v -> v.text().equals(text))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown verdict '" + text + "' (one of passed, failed, error, interrupted)"));
  }

  @Override
  public String toString() {
    return text();
  }
}
