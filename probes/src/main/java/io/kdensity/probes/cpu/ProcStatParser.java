package io.kdensity.probes.cpu;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.ArrayList;
import java.util.List;

/** Parses the {@code cpu} lines of {@code /proc/stat}; the first element is the total. */
public final class ProcStatParser {
  private ProcStatParser() {}

  public static List<CpuTimes> parse(String text, String source) {
    List<CpuTimes> out = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (!line.startsWith("cpu")) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length < 8) {
        throw new ParseException(source, i + 1, line, "expected at least 7 time columns");
      }
      long[] v = new long[9];
      for (int c = 1; c < Math.min(f.length, 9); c++) {
        v[c] = Text.dec(f[c], source, i + 1, line);
      }
      out.add(new CpuTimes(f[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8]));
    }
    if (out.isEmpty() || !out.get(0).cpu().equals("cpu")) {
      throw new ParseException(source, 1, lines.length > 0 ? lines[0] : "", "no 'cpu' total line");
    }
    return out;
  }
}
