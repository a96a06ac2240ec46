package io.kdensity.probes.sysctl;

import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.NodeShell;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads kernel parameters through a {@link NodeShell}, many at once. */
public final class SysctlReader {
  private final NodeShell shell;

  public SysctlReader(NodeShell shell) {
    this.shell = shell;
  }

  /**
   * Reads the given keys. A key whose file does not exist (unknown parameter, or a module that is
   * not loaded) maps to a failed {@link FileRead}.
   *
   * @return key → read, in the order asked
   */
  public Map<String, FileRead> read(List<String> keys) {
    List<String> paths = new ArrayList<>();
    for (String k : keys) {
      paths.add(new Sysctl(k).path());
    }
    Map<String, FileRead> byPath = shell.readFiles(paths);
    Map<String, FileRead> out = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      FileRead r = byPath.get(paths.get(i));
      out.put(keys.get(i), r.isOk() ? FileRead.ok(r.path(), r.content().strip()) : r);
    }
    return out;
  }

  /** Reads one value, stripped of its newline; fails naming the key if it does not exist. */
  public String read(String key) {
    return read(List.of(key)).get(key).require();
  }

  /** Reads a numeric value. */
  public long readLong(String key) {
    return Long.parseLong(Sysctl.tokens(read(key)).get(0));
  }
}
