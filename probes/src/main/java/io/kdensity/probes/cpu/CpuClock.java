package io.kdensity.probes.cpu;

import io.kdensity.probes.parse.ParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The clock the CPUs ran at, from {@code /proc/cpuinfo}'s {@code cpu MHz} lines: on x86 the kernel
 * derives it from the APERF/MPERF counters where the CPU has them (an average over the last tick or
 * so), else it is the nominal clock (e.g. a virtual machine's). Architectures that print no such
 * line give 0, and the caller falls back to the maximum.
 */
final class CpuClock {
  private static final Pattern MHZ =
      Pattern.compile("^cpu MHz\\s*:\\s*(\\S+)\\s*$", Pattern.MULTILINE);

  private CpuClock() {}

  /** The mean of the CPUs' {@code cpu MHz}, 0 if there is none. */
  static double meanMhz(String cpuinfo) {
    Matcher m = MHZ.matcher(cpuinfo);
    double sum = 0;
    int n = 0;
    while (m.find()) {
      double mhz;
      try {
        mhz = Double.parseDouble(m.group(1));
      } catch (NumberFormatException e) {
        throw new ParseException(
            "/proc/cpuinfo", lineOf(cpuinfo, m.start()), m.group(), "cpu MHz is not a number");
      }
      sum += mhz;
      n++;
    }
    return n == 0 ? 0 : sum / n;
  }

  private static int lineOf(String text, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    return line;
  }
}
