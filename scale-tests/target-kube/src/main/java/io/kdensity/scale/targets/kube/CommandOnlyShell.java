package io.kdensity.scale.targets.kube;

import io.kdensity.probes.shell.BatchRead;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.ShellException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A shell that can only run commands (an exec into a pod, or a recording of one): files are read
 * with one batched {@code cat} per {@link BatchRead#MAX_FILES_PER_COMMAND} files and written with
 * {@code printf}, both through {@link #run}.
 */
abstract class CommandOnlyShell implements NodeShell {

  @Override
  public String readFile(String path) {
    return readFiles(List.of(path)).get(path).require();
  }

  /** One command per {@link BatchRead#MAX_FILES_PER_COMMAND} files. */
  @Override
  public Map<String, FileRead> readFiles(List<String> paths) {
    Map<String, FileRead> out = new LinkedHashMap<>();
    for (List<String> chunk : BatchRead.chunks(paths)) {
      out.putAll(BatchRead.split(run(BatchRead.command(chunk)).stdout(), chunk, describe()));
    }
    return out;
  }

  @Override
  public void writeFile(String path, String content) {
    CommandResult r =
        run(Command.of("sh", "-c", "printf '%s\\n' \"$1\" > \"$2\"", "sh", content, path));
    if (!r.ok()) {
      throw new ShellException("cannot write " + path + " on the node: " + r.firstErrorLine());
    }
  }
}
