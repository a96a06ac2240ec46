package io.kdensity.probes.cpu;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.RunningProcess;
import io.kdensity.probes.shell.ShellException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Access to the kernel's tracefs: the machine's mount if there is one, else a private mount in a
 * helper process's own mount namespace, reached through {@code /proc/<pid>/root} — so the machine's
 * mounts never change. Closing ends the helper (and its mount).
 */
public final class Tracefs implements AutoCloseable {
  private static final List<String> MOUNTED =
      List.of("/sys/kernel/tracing", "/sys/kernel/debug/tracing");

  /**
   * Instances kdensity creates: {@code kd-} and a run id, then a suffix for a second kind ({@code
   * kd-r1a2b3} traces softirqs, {@code kd-r1a2b3-drop-cpu_backlog} counts one drop reason).
   */
  public static final Pattern OWNED_INSTANCE = Pattern.compile("kd-([0-9a-z]{6})(-[0-9a-z_-]+)?");

  /** The events kdensity enables in its instances, disabled before an instance is removed. */
  private static final List<String> EVENTS =
      List.of("irq/softirq_entry", "irq/softirq_exit", "skb/kfree_skb");

  /**
   * Mounts tracefs in a private mount namespace and keeps it while the process that started it
   * lives: it polls its parent, so a kdensity killed with -9 does not leave it behind.
   */
  static final String HELPER =
      "mount -t tracefs nodev /sys/kernel/tracing && echo ready"
          + " && while kill -0 $PPID 2>/dev/null; do sleep 1; done";

  private final NodeShell host;
  private final String root;
  private final RunningProcess helper;

  private Tracefs(NodeShell host, String root, RunningProcess helper) {
    this.host = host;
    this.root = root;
    this.helper = helper;
  }

  /**
   * @throws ShellException if the kernel has no tracefs (or mounting it is refused)
   */
  public static Tracefs open(NodeShell host) {
    for (String m : MOUNTED) {
      if (host.run(Command.of("test", "-d", m + "/instances")).ok()) {
        return new Tracefs(host, m, null);
      }
    }
    RunningProcess helper =
        host.start(
            Command.of("unshare", "--mount", "--propagation", "private", "sh", "-c", HELPER));
    String line = helper.readLine();
    if (!"ready".equals(line)) {
      String why = helper.stderr().strip();
      helper.close();
      throw new ShellException("cannot mount tracefs: " + (why.isEmpty() ? line : why));
    }
    return new Tracefs(host, "/proc/" + helper.pid() + "/root/sys/kernel/tracing", helper);
  }

  /**
   * The directory of instance {@code name}.
   *
   * @throws IllegalArgumentException if the name is not one kdensity owns
   */
  public String instance(String name) {
    if (!OWNED_INSTANCE.matcher(name).matches()) {
      throw new IllegalArgumentException("not a kdensity trace instance: " + name);
    }
    return root + "/instances/" + name;
  }

  /** A file of the top-level tracefs, e.g. {@code events/skb/kfree_skb/format}. */
  public String file(String relative) {
    return root + "/" + relative;
  }

  /** The run id in the name of one of kdensity's instances, if it is one. */
  public static Optional<String> runIdOf(String instance) {
    Matcher m = OWNED_INSTANCE.matcher(instance);
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** kdensity's instances ({@link #OWNED_INSTANCE}) that exist now. */
  public List<String> instances() {
    var r = host.run(Command.of("ls", root + "/instances"));
    List<String> out = new ArrayList<>();
    if (r.ok()) {
      for (String name : r.stdout().split("\\s+")) {
        if (OWNED_INSTANCE.matcher(name).matches()) {
          out.add(name);
        }
      }
    }
    return out;
  }

  /**
   * Removes kdensity's instances ({@link #OWNED_INSTANCE}) whose name {@code select} accepts;
   * returns their names.
   */
  public List<String> removeInstances(Predicate<String> select) {
    List<String> removed = new ArrayList<>();
    for (String name : instances()) {
      if (select.test(name)) {
        disable(instance(name));
        if (host.run(Command.of("rmdir", instance(name))).ok()) {
          removed.add(name);
        }
      }
    }
    return removed;
  }

  /** Stops the events kdensity enables in an instance (before removing it). */
  public void disable(String dir) {
    for (String event : EVENTS) {
      try {
        host.writeFile(dir + "/events/" + event + "/enable", "0");
      } catch (RuntimeException e) {
        // not enabled, or already gone
      }
    }
  }

  @Override
  public void close() {
    if (helper != null) {
      helper.close();
    }
  }
}
