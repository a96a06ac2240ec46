package io.kdensity.probes.shell;

import java.time.Duration;

/**
 * A long-lived process started through a {@link NodeShell} (a pod's anchor, a traffic agent).
 * Closing it kills the process and its descendants.
 */
public interface RunningProcess extends AutoCloseable {

  /** The process id on the machine that runs it. */
  long pid();

  /**
   * The next line the process printed on standard output; blocks until a line or the end of its
   * output (then {@code null}), so callers use it for processes that print at once or exit.
   */
  String readLine();

  /** Waits for the process to exit, at most {@code timeout}; true if it exited. */
  boolean waitFor(Duration timeout);

  boolean isAlive();

  /**
   * The process's exit code, once {@link #waitFor} returned true.
   *
   * @throws IllegalThreadStateException while it runs
   */
  int exitCode();

  /** What the process wrote on standard error so far (at most the last 4 KiB), for messages. */
  String stderr();

  /** Kills the process and its descendants and waits (briefly) for them to go. */
  @Override
  void close();
}
