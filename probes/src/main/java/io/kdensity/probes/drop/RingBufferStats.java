package io.kdensity.probes.drop;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.List;

/**
 * Reads a tracefs instance's {@code per_cpu/cpuN/stats}: how many events the CPU's ring buffer was
 * given. The buffer overwrites its oldest page when full ({@code overwrite} mode, the default) and
 * counts what it overwrote, so {@code entries + overrun + read events} is every event written,
 * however small the buffer ({@code rb_num_of_entries} in {@code kernel/trace/ring_buffer.c}:
 * entries = written − (overrun + read)).
 *
 * <pre>
 * entries: 124
 * overrun: 4876
 * commit overrun: 0
 * read events: 0
 * </pre>
 */
public final class RingBufferStats {
  private RingBufferStats() {}

  /** Events written to this CPU's buffer since the instance was made. */
  public static long written(String text, String source) {
    Long entries = null;
    Long overrun = null;
    Long read = null;
    List<String> lines = Text.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).strip();
      String value = line.substring(colon + 1).strip();
      switch (key) {
        case "entries" -> entries = Text.dec(value, source, i + 1, line);
        case "overrun" -> overrun = Text.dec(value, source, i + 1, line);
        case "read events" -> read = Text.dec(value, source, i + 1, line);
        default -> {
          // bytes, timestamps, dropped events (non-overwrite mode only)
        }
      }
    }
    if (entries == null || overrun == null || read == null) {
      throw new ParseException(source, 0, "", "no 'entries', 'overrun' and 'read events' lines");
    }
    return entries + overrun + read;
  }
}
