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

  /**
   * The most files one command reads. Over a Kubernetes exec every argument travels as a {@code
   * command=} query parameter of the request line (about 45 bytes for a {@code /proc/<pid>/net}
   * path): 200 keep it near 9 KB, well under the 1 MiB the API server's HTTP server accepts and the
   * 8-64 KB that proxies in front of it commonly do.
   */
  public static final int MAX_FILES_PER_COMMAND = 200;

  /** {@code paths} in order, cut into runs of at most {@link #MAX_FILES_PER_COMMAND}. */
  public static List<List<String>> chunks(List<String> paths) {
    List<List<String>> out = new ArrayList<>();
    for (int i = 0; i < paths.size(); i += MAX_FILES_PER_COMMAND) {
      out.add(List.copyOf(paths.subList(i, Math.min(paths.size(), i + MAX_FILES_PER_COMMAND))));
    }
    return out;
  }

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
