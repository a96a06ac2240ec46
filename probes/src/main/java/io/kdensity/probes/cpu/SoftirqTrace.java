package io.kdensity.probes.cpu;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.probe.SoftirqTime;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the text {@code trace} of a tracefs instance recording {@code irq:softirq_entry} and
 * {@code irq:softirq_exit}, and sums the time each CPU spent in the NET_TX (2) and NET_RX (3)
 * softirqs: the CPU the kernel spent on packets, not on timers or RCU.
 *
 * <pre>
 *  ksoftirqd/0-14      [000] ..s..  4238.225721: softirq_entry: vec=3 [action=NET_RX]
 *  ksoftirqd/0-14      [000] ..s..  4238.225924: softirq_exit: vec=3 [action=NET_RX]
 * </pre>
 *
 * Timestamps have microsecond resolution; both ends of a run are truncated alike, so the error of a
 * sum averages out. Softirqs do not nest on one CPU: an exit closes the entry before it on the same
 * CPU; an exit without an entry (the buffer began mid-run) is skipped.
 */
public final class SoftirqTrace {
  static final int NET_TX = 2;
  static final int NET_RX = 3;

  private static final Pattern EVENT =
      Pattern.compile(
          "\\[(\\d+)]\\s+\\S+\\s+(\\d+)\\.(\\d{6}):\\s+softirq_(entry|exit):\\s+vec=(\\d+)");

  private SoftirqTrace() {}

  public static SoftirqTime parse(String text, String source) {
    Map<Integer, long[]> open = new HashMap<>(); // cpu → {vec, entry ns}
    long rx = 0;
    long tx = 0;
    long runs = 0;
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = EVENT.matcher(line);
      if (!m.find()) {
        if (line.contains("softirq_")) {
          throw new ParseException(source, i + 1, line, "expected a softirq_entry/exit event");
        }
        continue; // other events or lost-event markers ("CPU:1 [LOST 12 EVENTS]")
      }
      int cpu;
      long ns;
      int vec;
      try {
        cpu = Integer.parseInt(m.group(1));
        ns =
            Math.addExact(
                Math.multiplyExact(Long.parseLong(m.group(2)), 1_000_000_000L),
                Long.parseLong(m.group(3)) * 1000L);
        vec = Integer.parseInt(m.group(5));
      } catch (NumberFormatException | ArithmeticException e) {
        throw new ParseException(source, i + 1, line, "a number out of range");
      }
      if (m.group(4).equals("entry")) {
        open.put(cpu, new long[] {vec, ns});
        continue;
      }
      long[] e = open.remove(cpu);
      if (e == null || e[0] != vec || ns < e[1]) {
        continue;
      }
      if (vec == NET_RX) {
        rx += ns - e[1];
      } else if (vec == NET_TX) {
        tx += ns - e[1];
      }
      runs++;
    }
    return new SoftirqTime(rx, tx, runs);
  }
}
