package io.kdensity.probes.process;

import io.kdensity.probes.parse.ParseException;
import java.time.Duration;

/**
 * Parses the CPU fields of {@code /proc/<pid>/stat} (proc(5)): after the command name in
 * parentheses — which may itself hold spaces and parentheses, so the fields start after the
 * <em>last</em> {@code )} — field 14 {@code utime}, 15 {@code stime}, 16 {@code cutime} and 17
 * {@code cstime}, in clock ticks of {@code USER_HZ}, which the kernel fixes at 100 for what it
 * exports on every architecture kdensity runs on (x86, arm64).
 */
public final class ProcSelfStat {
  /** {@code USER_HZ}: the unit of the times in {@code /proc/<pid>/stat}. */
  static final long TICKS_PER_SECOND = 100;

  private ProcSelfStat() {}

  /**
   * A process's own CPU time and its reaped children's.
   *
   * @param self user + system of its threads
   * @param children user + system of the children it waited for
   */
  public record Own(Duration self, Duration children) {}

  /**
   * @param text the file's content
   * @param where the file, for errors
   * @throws ParseException if the line is not a stat line
   */
  public static Own parse(String text, String where) {
    int close = text.lastIndexOf(')');
    if (close < 0) {
      throw new ParseException(where, 1, text, "no ')' after the command name");
    }
    // after ") " come the fields from 3 (state) on
    String[] f = text.substring(close + 1).trim().split("\\s+");
    if (f.length < 15) {
      throw new ParseException(
          where, 1, text, "expected at least 17 fields, found " + (f.length + 2));
    }
    try {
      long utime = Long.parseLong(f[14 - 3]);
      long stime = Long.parseLong(f[15 - 3]);
      long cutime = Long.parseLong(f[16 - 3]);
      long cstime = Long.parseLong(f[17 - 3]);
      return new Own(ticks(utime + stime), ticks(cutime + cstime));
    } catch (NumberFormatException e) {
      throw new ParseException(where, 1, text, "utime..cstime are not numbers");
    }
  }

  /** Clock ticks of {@code USER_HZ} (also the unit of {@code /proc/stat}) as a duration. */
  public static Duration ticks(long t) {
    return Duration.ofMillis(t * 1000 / TICKS_PER_SECOND);
  }
}
