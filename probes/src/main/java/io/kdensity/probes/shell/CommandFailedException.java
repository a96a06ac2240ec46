package io.kdensity.probes.shell;

/** A command exited with a non-zero status. */
public class CommandFailedException extends ShellException {
  private static final long serialVersionUID = 1L;
  private final transient CommandResult result;

  public CommandFailedException(CommandResult result) {
    super(
        "`"
            + result.command()
            + "` exited with "
            + result.exitCode()
            + (result.firstErrorLine().isEmpty() ? "" : ": " + result.firstErrorLine()));
    this.result = result;
  }

  public CommandResult result() {
    return result;
  }
}
