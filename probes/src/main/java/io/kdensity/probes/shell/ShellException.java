package io.kdensity.probes.shell;

/** A command could not be run or a file could not be read; the message says which and why. */
public class ShellException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ShellException(String message) {
    super(message);
  }

  public ShellException(String message, Throwable cause) {
    super(message, cause);
  }
}
