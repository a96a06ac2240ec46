package io.kdensity.probes.drop;

import io.kdensity.probes.cpu.Tracefs;
import io.kdensity.probes.probe.DropCounter;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.ShellException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Counts the node's dropped packets by kernel reason, in the kernel: one tracefs instance of the
 * run's ({@code kd-<runid>-drops}) takes every {@code skb:kfree_skb} event, and one per counted
 * reason ({@code kd-<runid>-drop-cpu_backlog}) only that reason's ({@code filter: reason == 71},
 * the number read from this kernel's event format). An instance's ring buffer is one page per CPU
 * and overwrites itself; the count is the events it was given ({@link RingBufferStats}), so nothing
 * is copied to user space however fast packets drop, and a read costs a few small files.
 *
 * <p>The counts are node-wide, like the softnet counters: the host's own drops count too. The
 * instances are removed on {@link #close()} (and by {@code kdensity cleanup} after a crash).
 */
public final class TracefsDropCounter implements DropCounter, AutoCloseable {
  static final String FORMAT = "events/skb/kfree_skb/format";
  private static final String EVENT = "/events/skb/kfree_skb/";

  /** Per-CPU ring buffer: its smallest size, as only the count of events is used. */
  static final int BUFFER_KB = 4;

  private final NodeShell host;
  private final Tracefs tracefs;
  private final String all;
  private final Map<DropReason, String> byReason;
  private final List<String> cpus;

  private TracefsDropCounter(
      NodeShell host,
      Tracefs tracefs,
      String all,
      Map<DropReason, String> byReason,
      List<String> cpus) {
    this.host = host;
    this.tracefs = tracefs;
    this.all = all;
    this.byReason = byReason;
    this.cpus = cpus;
  }

  /**
   * Creates and starts the run's instances.
   *
   * @throws ShellException if the kernel has no tracefs or its {@code skb:kfree_skb} no reason
   *     (Linux before 5.17)
   */
  public static TracefsDropCounter open(NodeShell host, String runId) {
    Tracefs tracefs = Tracefs.open(host);
    List<String> made = new ArrayList<>();
    try {
      String formatFile = tracefs.file(FORMAT);
      Map<String, Integer> numbers = KfreeSkbFormat.reasons(host.readFile(formatFile), formatFile);
      if (numbers.isEmpty()) {
        throw new ShellException(
            "this kernel's skb:kfree_skb has no drop reason (Linux 5.17 or later has it)");
      }
      String all = start(host, tracefs, "kd-" + runId + "-drops", "", made);
      Map<DropReason, String> byReason = new LinkedHashMap<>();
      for (DropReason r : DropReason.values()) {
        Integer n = numbers.get(r.name());
        if (n != null) {
          String name = "kd-" + runId + "-drop-" + r.name().toLowerCase(Locale.ROOT);
          byReason.put(r, start(host, tracefs, name, "reason == " + n, made));
        }
      }
      var ls = host.run(Command.of("ls", all + "/per_cpu")).requireSuccess();
      List<String> cpus = List.of(ls.stdout().strip().split("\\s+"));
      return new TracefsDropCounter(host, tracefs, all, byReason, cpus);
    } catch (RuntimeException e) {
      remove(host, tracefs, made);
      tracefs.close();
      throw e;
    }
  }

  private static String start(
      NodeShell host, Tracefs tracefs, String name, String filter, List<String> made) {
    String dir = tracefs.instance(name);
    host.run(Command.of("mkdir", "-p", dir)).requireSuccess();
    made.add(dir);
    host.writeFile(dir + "/buffer_size_kb", Integer.toString(BUFFER_KB));
    if (!filter.isEmpty()) {
      host.writeFile(dir + EVENT + "filter", filter);
    }
    host.writeFile(dir + EVENT + "enable", "1");
    return dir;
  }

  /** The reasons this kernel lets it count one by one. */
  public List<DropReason> reasons() {
    return List.copyOf(byReason.keySet());
  }

  @Override
  public synchronized Drops read() {
    List<String> paths = new ArrayList<>();
    for (String dir : instances()) {
      for (String cpu : cpus) {
        paths.add(stats(dir, cpu));
      }
    }
    Map<String, FileRead> files = host.readFiles(paths);
    Map<String, Long> counts = new LinkedHashMap<>();
    byReason.forEach((r, dir) -> counts.put(r.name(), written(files, dir)));
    return new Drops(written(files, all), counts);
  }

  private long written(Map<String, FileRead> files, String dir) {
    long sum = 0;
    for (String cpu : cpus) {
      String path = stats(dir, cpu);
      sum += RingBufferStats.written(files.get(path).require(), path);
    }
    return sum;
  }

  private static String stats(String dir, String cpu) {
    return dir + "/per_cpu/" + cpu + "/stats";
  }

  /** The directories of every instance: one per counted reason, then the one of all drops. */
  private List<String> instances() {
    List<String> dirs = new ArrayList<>(byReason.values());
    dirs.add(all);
    return dirs;
  }

  /** Stops the events and removes the instances (and the private mount, if one was made). */
  @Override
  public synchronized void close() {
    remove(host, tracefs, instances());
    tracefs.close();
  }

  private static void remove(NodeShell host, Tracefs tracefs, List<String> dirs) {
    for (String dir : dirs) {
      tracefs.disable(dir);
      host.run(Command.of("rmdir", dir));
    }
  }
}
