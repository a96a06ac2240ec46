package io.kdensity.probes.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads many files with one process: a small {@code sh} script prints each file between markers
 * with its exit status. Shells that pay per process (a namespace, a Kubernetes exec) use it.
 */
public final class BatchRead {
  private BatchRead() {}

  /** The command that prints every file of {@code paths} between markers. */
  public static Command command(List<String> paths) {
    List<String> argv = new ArrayList<>(List.of("sh", "-c", NetnsShell.readScript(), "sh"));
    argv.addAll(paths);
    return Command.of(argv);
  }

  /** Splits the command's output into one result per file; {@code where} names the shell. */
  public static Map<String, FileRead> split(String stdout, List<String> paths, String where) {
    return NetnsShell.splitReads(stdout, paths, where);
  }
}
