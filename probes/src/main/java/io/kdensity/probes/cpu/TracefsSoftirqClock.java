package io.kdensity.probes.cpu;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.probe.SoftirqClock;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.ShellException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the packet softirqs' CPU time with a tracefs instance of the run's own ({@code
 * instances/kd-<runid>}) recording {@code irq:softirq_entry/exit} filtered to NET_TX and NET_RX.
 * {@code /proc/stat}'s softirq column is all softirq time (timers, RCU…) and, without {@code
 * CONFIG_IRQ_TIME_ACCOUNTING}, sampled at the tick; the trace times every run.
 *
 * <p>Where tracefs is not mounted, a helper process mounts it in a private mount namespace and the
 * files are reached through {@code /proc/<pid>/root}: the machine's mounts are not changed. The
 * instance is removed on {@link #close()} (and by {@code kdensity cleanup} after a crash).
 */
public final class TracefsSoftirqClock implements SoftirqClock, AutoCloseable {
  /** Per-CPU ring buffer: a step's NET_RX runs at tens of thousands per second fit in 8 MiB. */
  static final int BUFFER_KB = 8192;

  static final String FILTER = "vec == 2 || vec == 3";
  private static final Pattern WRITTEN =
      Pattern.compile("entries-in-buffer/entries-written: (\\d+)/(\\d+)");

  private final NodeShell host;
  private final Tracefs tracefs;
  private final String dir;

  private TracefsSoftirqClock(NodeShell host, Tracefs tracefs, String dir) {
    this.host = host;
    this.tracefs = tracefs;
    this.dir = dir;
  }

  /**
   * Creates and starts the instance {@code kd-<runId>}.
   *
   * @throws ShellException if the kernel has no tracefs or no softirq events
   */
  public static TracefsSoftirqClock open(NodeShell host, String runId) {
    String name = "kd-" + runId;
    if (!Tracefs.OWNED_INSTANCE.matcher(name).matches()) {
      throw new IllegalArgumentException("not a run id: " + runId);
    }
    Tracefs tracefs = Tracefs.open(host);
    String dir = tracefs.instance(name);
    TracefsSoftirqClock clock = new TracefsSoftirqClock(host, tracefs, dir);
    try {
      host.run(Command.of("mkdir", "-p", dir)).requireSuccess();
      host.writeFile(dir + "/buffer_size_kb", Integer.toString(BUFFER_KB));
      for (String event : List.of("softirq_entry", "softirq_exit")) {
        host.writeFile(dir + "/events/irq/" + event + "/filter", FILTER);
        host.writeFile(dir + "/events/irq/" + event + "/enable", "1");
      }
      host.writeFile(dir + "/tracing_on", "1");
    } catch (RuntimeException e) {
      clock.close();
      throw e;
    }
    return clock;
  }

  /**
   * The packet softirq time since the previous read (or since {@link #open}): reads the trace with
   * tracing paused, then empties it.
   */
  @Override
  public synchronized Reading read() {
    host.writeFile(dir + "/tracing_on", "0");
    try {
      String text = host.readFile(dir + "/trace");
      host.writeFile(dir + "/trace", "");
      return new Reading(SoftirqTrace.parse(text, dir + "/trace"), lost(text));
    } finally {
      host.writeFile(dir + "/tracing_on", "1");
    }
  }

  /** Events written but no longer in the buffer (overwritten when it was full). */
  static long lost(String trace) {
    Matcher m = WRITTEN.matcher(trace);
    if (!m.find()) {
      throw new ParseException("trace", 0, "", "no 'entries-in-buffer/entries-written' header");
    }
    try {
      return Math.max(0, Long.parseLong(m.group(2)) - Long.parseLong(m.group(1)));
    } catch (NumberFormatException e) {
      throw new ParseException("trace", 0, m.group(), "an entry count out of range");
    }
  }

  /** Stops the events and removes the instance (and the private mount, if one was made). */
  @Override
  public synchronized void close() {
    tracefs.disable(dir);
    host.run(Command.of("rmdir", dir));
    tracefs.close();
  }
}
