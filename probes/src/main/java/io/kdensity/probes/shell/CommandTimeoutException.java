package io.kdensity.probes.shell;

import java.time.Duration;

/** A command ran longer than its timeout and was killed. */
public class CommandTimeoutException extends ShellException {
  private static final long serialVersionUID = 1L;

  public CommandTimeoutException(String command, Duration timeout) {
    super("`" + command + "` did not finish within " + timeout.toMillis() + " ms and was killed");
  }
}
