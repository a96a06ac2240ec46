package io.kdensity.scale.targets.kube;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import java.util.ArrayList;
import java.util.List;

/**
 * Every exec into the probe pod, with what the node answered: {@code doctor --kube} writes it into
 * its fixture bundle, so the output of a real node's tools (iproute2, ethtool, fping, /proc) can be
 * replayed through kdensity's parsers in tests.
 */
final class ExecTranscript {

  /**
   * One exec.
   *
   * @param argv the command (in the probe pod: the node's host namespace)
   * @param stdin what was written to it, or null
   * @param exit its exit status
   * @param stdout what it printed
   * @param stderr its errors
   * @param millis how long it took
   */
  record Exec(
      List<String> argv, String stdin, int exit, String stdout, String stderr, long millis) {}

  private final List<Exec> execs = new ArrayList<>();

  synchronized void add(Command c, CommandResult r) {
    execs.add(
        new Exec(
            c.argv(), c.stdin(), r.exitCode(), r.stdout(), r.stderr(), r.elapsed().toMillis()));
  }

  synchronized List<Exec> execs() {
    return List.copyOf(execs);
  }

  /** Wraps a shell so that each of its commands is written down (reads and writes are commands). */
  NodeShell recording(NodeShell exec) {
    return new CommandOnlyShell() {
      @Override
      public CommandResult run(Command c) {
        CommandResult r = exec.run(c);
        add(c, r);
        return r;
      }

      @Override
      public String describe() {
        return exec.describe();
      }
    };
  }
}
