package io.kdensity.scale.cli;

import io.kdensity.reports.model.Verdict;

/** Exit codes of every kdensity command. */
public final class ExitCodes {
  /** Every step passed / the gate passed. */
  public static final int PASSED = 0;

  /** An SLO failed (the node's knee was found) / the gate found a regression. */
  public static final int SLO_FAILED = 1;

  /** Bad input: plan, profile, rules, summary or arguments. Nothing was changed. */
  public static final int BAD_INPUT = 2;

  /** Infrastructure error: a missing tool or plugin, an unreachable cluster, not root. */
  public static final int INFRASTRUCTURE = 3;

  /** Internal error: a broken invariant inside kdensity (a bug to report), not the user's input. */
  public static final int INTERNAL = 4;

  /**
   * Interrupted by Ctrl-C; what was measured was written. (After SIGTERM the JVM ends with 143, the
   * code of a process ended by that signal, after the same cleanup.)
   */
  public static final int INTERRUPTED = 130;

  private ExitCodes() {}

  /** Exit code of a run's verdict. */
  public static int of(Verdict verdict) {
    return switch (verdict) {
      case PASSED -> PASSED;
      case FAILED -> SLO_FAILED;
      case INTERRUPTED -> INTERRUPTED;
      case ERROR -> INFRASTRUCTURE;
    };
  }
}
