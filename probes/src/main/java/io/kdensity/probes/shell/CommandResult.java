package io.kdensity.probes.shell;

import java.time.Duration;

/**
 * What a finished command printed and how it ended.
 *
 * @param command the command line, for messages
 * @param exitCode the exit status
 * @param stdout standard output
 * @param stderr standard error
 * @param elapsed wall time from start to exit
 */
public record CommandResult(
    String command, int exitCode, String stdout, String stderr, Duration elapsed) {

  public boolean ok() {
    return exitCode == 0;
  }

  /**
   * Returns this result if the command succeeded.
   *
   * @throws CommandFailedException naming the command, its exit code and the first line of stderr
   */
  public CommandResult requireSuccess() {
    if (exitCode != 0) {
      throw new CommandFailedException(this);
    }
    return this;
  }

  /** The first non-blank line of stderr (or stdout if stderr is empty), for one-line messages. */
  public String firstErrorLine() {
    String src = stderr.isBlank() ? stdout : stderr;
    for (String line : src.split("\n")) {
      if (!line.isBlank()) {
        return line.strip();
      }
    }
    return "";
  }
}
