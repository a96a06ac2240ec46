package io.kdensity.probes.cpu;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code /proc/net/softnet_stat}: one row of hex columns per online CPU. Old kernels print
 * 10 or 11 columns, 5.10+ add the backlog length and CPU index (13), 6.x the queue lengths (15);
 * columns 0-2 and 9-10 have kept their meaning throughout. The counters are the kernel's {@code
 * unsigned int}s printed with {@code %08x}: 32 bits that wrap, so differences are taken modulo 2^32
 * ({@link io.kdensity.probes.parse.Counters#delta32}).
 */
public final class SoftnetStatParser {
  private static final int CPU_INDEX_COLUMN = 12;

  private SoftnetStatParser() {}

  public static List<SoftnetCpu> parse(String text, String source) {
    List<SoftnetCpu> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int row = 0;
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length < 3) {
        throw new ParseException(
            source, i + 1, line, "expected at least 3 columns, found " + f.length);
      }
      long[] v = new long[f.length];
      for (int c = 0; c < f.length; c++) {
        v[c] = Text.hex(f[c], source, i + 1, line);
      }
      int cpu = f.length > CPU_INDEX_COLUMN ? (int) v[CPU_INDEX_COLUMN] : row;
      out.add(
          new SoftnetCpu(
              cpu, v[0], v[1], v[2], f.length > 9 ? v[9] : 0, f.length > 10 ? v[10] : 0));
      row++;
    }
    // an empty file is a node listing no CPU (it happens in containers): nothing to count
    return out;
  }
}
