package io.kdensity.probes.neigh;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.Arrays;
import java.util.List;

/**
 * Parses {@code /proc/net/stat/ndisc_cache} and {@code arp_cache}: a header naming the columns,
 * then one row of hex numbers per CPU. Columns are found by name, so a kernel that adds columns
 * still parses. {@code entries} is required; {@code table_fulls} (added in Linux 4.4) and the other
 * counters are read when present ({@link NeighCacheStats#UNKNOWN} otherwise).
 */
public final class NeighCacheStatParser {
  private NeighCacheStatParser() {}

  public static NeighCacheStats parse(String text, String source) {
    List<String> lines = Text.lines(text);
    if (lines.isEmpty()) {
      throw new ParseException(source, 1, "", "empty file");
    }
    List<String> header = Arrays.asList(lines.get(0).trim().split("\\s+"));
    int entries = col(header, "entries", source, lines.get(0));
    int tableFulls = header.indexOf("table_fulls");
    long[] sum = new long[header.size()];
    long entriesValue = 0;
    if (lines.size() < 2) {
      throw new ParseException(source, 2, "", "no per-CPU rows");
    }
    for (int i = 1; i < lines.size(); i++) {
      String line = lines.get(i);
      String[] f = line.trim().split("\\s+");
      if (f.length != header.size()) {
        throw new ParseException(
            source, i + 1, line, "expected " + header.size() + " columns, found " + f.length);
      }
      for (int c = 0; c < f.length; c++) {
        sum[c] += Text.hex(f[c], source, i + 1, line);
      }
      if (i == 1) {
        entriesValue = Text.hex(f[entries], source, i + 1, line);
      }
    }
    return new NeighCacheStats(
        entriesValue,
        get(header, sum, "allocs"),
        get(header, sum, "destroys"),
        get(header, sum, "hash_grows"),
        get(header, sum, "lookups"),
        get(header, sum, "hits"),
        get(header, sum, "res_failed"),
        get(header, sum, "periodic_gc_runs"),
        get(header, sum, "forced_gc_runs"),
        get(header, sum, "unresolved_discards"),
        tableFulls < 0 ? NeighCacheStats.UNKNOWN : sum[tableFulls]);
  }

  private static int col(List<String> header, String name, String source, String line) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new ParseException(source, 1, line, "no column '" + name + "'");
    }
    return i;
  }

  private static long get(List<String> header, long[] sum, String name) {
    int i = header.indexOf(name);
    return i < 0 ? 0 : sum[i];
  }
}
