package io.kdensity.probes.shell;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the same file in many shells — e.g. every pod's {@code /proc/net/if_inet6} — asking each
 * shell they read through ({@link NodeShell#readVia}) once for all of them: on a cluster, one exec
 * in the probe pod per scan instead of one per pod.
 */
public final class FileReads {
  private FileReads() {}

  /**
   * @param shells where to read, by the caller's key
   * @param path the file, as each shell sees it
   * @return the reads of the shells that read {@code path} through another shell, by key; shells
   *     that read it themselves are left to the caller (to read in parallel). A file that cannot be
   *     read is a failed {@link FileRead}, not an exception.
   */
  public static <K> Map<K, FileRead> readThroughSharedShells(
      Map<K, NodeShell> shells, String path) {
    Map<NodeShell, List<K>> keysByVia = new IdentityHashMap<>();
    Map<NodeShell, List<String>> pathsByVia = new IdentityHashMap<>();
    for (Map.Entry<K, NodeShell> e : shells.entrySet()) {
      Optional<NodeShell.Delegated> via = e.getValue().readVia(path);
      if (via.isPresent()) {
        keysByVia.computeIfAbsent(via.get().shell(), s -> new ArrayList<>()).add(e.getKey());
        pathsByVia.computeIfAbsent(via.get().shell(), s -> new ArrayList<>()).add(via.get().path());
      }
    }
    Map<K, FileRead> read = new LinkedHashMap<>();
    for (Map.Entry<NodeShell, List<K>> g : keysByVia.entrySet()) {
      List<String> paths = pathsByVia.get(g.getKey());
      Map<String, FileRead> got = g.getKey().readFiles(paths);
      for (int i = 0; i < paths.size(); i++) {
        FileRead r = got.get(paths.get(i));
        read.put(
            g.getValue().get(i),
            r != null ? r : FileRead.failed(paths.get(i), "no result for " + paths.get(i)));
      }
    }
    return read;
  }
}
