package io.kdensity.probes.shell;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A command to run: argument vector, optional standard input, extra environment and a timeout.
 *
 * @param argv program and arguments, never empty
 * @param stdin bytes written to the command's standard input, or {@code null} for none
 * @param env environment variables added to the inherited environment
 * @param timeout the command is killed after this long
 */
public record Command(List<String> argv, String stdin, Map<String, String> env, Duration timeout) {

  public Command {
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("a command needs at least a program name");
    }
    env = Map.copyOf(env);
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  /** A command with the default timeout, no input and no extra environment. */
  public static Command of(String... argv) {
    return new Command(List.of(argv), null, Map.of(), NodeShell.DEFAULT_TIMEOUT);
  }

  public static Command of(List<String> argv) {
    return new Command(argv, null, Map.of(), NodeShell.DEFAULT_TIMEOUT);
  }

  public Command withStdin(String input) {
    return new Command(argv, input, env, timeout);
  }

  public Command withEnv(Map<String, String> extra) {
    return new Command(argv, stdin, extra, timeout);
  }

  public Command withTimeout(Duration t) {
    return new Command(argv, stdin, env, t);
  }

  /** The program name, e.g. {@code ip}. */
  public String program() {
    return argv.get(0);
  }

  /** The command line as a person would type it, for messages. */
  public String display() {
    return String.join(" ", argv);
  }
}
