package io.kdensity.probes.conntrack;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses {@code /proc/net/stat/nf_conntrack}: a header naming the columns, then one row of hex
 * columns per possible CPU. Columns are found by name: kernels have added and removed some
 * (searched, clashres, chaintoolong…), never renamed these.
 */
public final class ConntrackStatParser {
  private ConntrackStatParser() {}

  public static List<ConntrackCpu> parse(String text, String source) {
    String[] lines = text.split("\n", -1);
    if (lines.length == 0 || lines[0].isBlank()) {
      throw new ParseException(source, 1, "", "expected a header naming the columns");
    }
    List<String> header = Arrays.asList(lines[0].trim().split("\\s+"));
    int insertFailed = column(header, "insert_failed", source, lines[0]);
    int drop = column(header, "drop", source, lines[0]);
    int earlyDrop = column(header, "early_drop", source, lines[0]);
    List<ConntrackCpu> out = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split("\\s+");
      if (f.length != header.size()) {
        throw new ParseException(
            source, i + 1, line, "expected " + header.size() + " columns, found " + f.length);
      }
      out.add(
          new ConntrackCpu(
              Text.hex(f[insertFailed], source, i + 1, line),
              Text.hex(f[drop], source, i + 1, line),
              Text.hex(f[earlyDrop], source, i + 1, line)));
    }
    return out;
  }

  private static int column(List<String> header, String name, String source, String line) {
    int i = header.indexOf(name);
    if (i < 0) {
      throw new ParseException(source, 1, line, "no column " + name);
    }
    return i;
  }
}
