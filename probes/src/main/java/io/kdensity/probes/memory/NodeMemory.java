package io.kdensity.probes.memory;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import io.kdensity.probes.shell.NodeShell;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The node's memory as {@code /proc/meminfo} reports it, in kB. The file is not per network
 * namespace, so any shell of the node reads the node's.
 *
 * @param totalKb MemTotal
 * @param availableKb MemAvailable: what new work can get without swapping (free memory plus the
 *     page cache and reclaimable slab the kernel estimates it can take back)
 * @param kernelKb what the kernel holds for itself and cannot reclaim, where a pod's network
 *     namespace and interfaces live: unreclaimable slab ({@code struct net}, {@code net_device},
 *     neighbour and FDB entries), per-CPU allocations (the devices' per-CPU stats), kernel stacks
 *     and page tables
 */
public record NodeMemory(long totalKb, long availableKb, long kernelKb) {
  public static final String PATH = "/proc/meminfo";

  /** The fields {@link #kernelKb} adds up; {@code Percpu} since Linux 4.16. */
  static final List<String> KERNEL_FIELDS =
      List.of("SUnreclaim", "Percpu", "KernelStack", "PageTables");

  /** What the node's memory holds that is not available to new work. */
  public long usedKb() {
    return totalKb - availableKb;
  }

  /** Reads the node's memory through {@code shell}. */
  public static NodeMemory read(NodeShell shell) {
    return parse(shell.readFile(PATH));
  }

  /**
   * Parses {@code /proc/meminfo} ({@code "MemAvailable: 20894164 kB"}).
   *
   * @throws ParseException naming the line that is not a field, or the field that is missing
   */
  public static NodeMemory parse(String text) {
    Map<String, Long> kb = new HashMap<>();
    List<String> lines = Text.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int colon = line.indexOf(':');
      String[] value = line.substring(colon + 1).trim().split("\\s+");
      if (colon <= 0 || value.length > 2) {
        throw new ParseException(PATH, i + 1, line, "expected 'Field: value [kB]'");
      }
      kb.put(line.substring(0, colon), Text.u64(value[0], PATH, i + 1, line));
    }
    long kernel = 0;
    for (String f : KERNEL_FIELDS) {
      kernel += field(kb, f);
    }
    return new NodeMemory(field(kb, "MemTotal"), field(kb, "MemAvailable"), kernel);
  }

  private static long field(Map<String, Long> kb, String name) {
    Long v = kb.get(name);
    if (v == null) {
      throw new ParseException(PATH, 0, "", "no " + name + " field (Linux 4.16 or later has it)");
    }
    return v;
  }
}
