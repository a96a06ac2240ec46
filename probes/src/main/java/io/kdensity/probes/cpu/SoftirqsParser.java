package io.kdensity.probes.cpu;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Parses {@code /proc/softirqs}: a CPU header, then {@code TYPE: n n …} rows (decimal). */
public final class SoftirqsParser {
  private SoftirqsParser() {}

  public static Softirqs parse(String text, String source) {
    List<String> lines = Text.lines(text);
    if (lines.isEmpty() || !lines.get(0).trim().startsWith("CPU")) {
      throw new ParseException(source, 1, lines.isEmpty() ? "" : lines.get(0), "no CPU header");
    }
    List<String> cpus = Arrays.asList(lines.get(0).trim().split("\\s+"));
    Map<String, List<Long>> counts = new HashMap<>();
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      int colon = line.indexOf(':');
      if (colon < 0) {
        throw new ParseException(source, i + 1, line, "expected 'TYPE: counts'");
      }
      String[] f = line.substring(colon + 1).trim().split("\\s+");
      if (f.length != cpus.size()) {
        throw new ParseException(
            source, i + 1, line, "expected " + cpus.size() + " CPU columns, found " + f.length);
      }
      List<Long> v = new ArrayList<>(f.length);
      for (String s : f) {
        v.add(Text.dec(s, source, i + 1, line));
      }
      counts.put(line.substring(0, colon).trim(), v);
    }
    return new Softirqs(cpus, counts);
  }
}
