package io.kdensity.probes.ethtool;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the text output of {@code ethtool -S/-g/-l/-k}. The caller passes stdout and stderr
 * together: "Operation not supported" and "no stats available" become {@link Supported#no}.
 */
public final class EthtoolParser {
  private EthtoolParser() {}

  /** Whether ethtool said the device does not support the query; returns the reason or null. */
  static String unsupported(String text) {
    for (String l : Text.lines(text)) {
      String s = l.strip();
      if (s.contains("Operation not supported")
          || s.startsWith("no stats available")
          || s.contains("not supported")) {
        return s;
      }
    }
    return null;
  }

  /** {@code ethtool -S DEV}: {@code name: value} lines under "NIC statistics:". */
  public static Supported<Map<String, Long>> parseStats(String text, String source) {
    String no = unsupported(text);
    if (no != null) {
      return Supported.no(no);
    }
    Map<String, Long> out = new LinkedHashMap<>();
    List<String> lines = Text.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.endsWith(":") && out.isEmpty()) {
        continue; // "NIC statistics:"
      }
      int colon = l.lastIndexOf(':');
      if (colon < 0) {
        throw new ParseException(source, i + 1, l, "expected 'name: value'");
      }
      // ethtool prints u64 counters: up to 18446744073709551615, kept as long bits
      out.put(
          l.substring(0, colon).strip(),
          Text.u64(l.substring(colon + 1).strip(), source, i + 1, l));
    }
    return Supported.yes(out);
  }

  /** {@code ethtool -g DEV}: pre-set maximums and current RX/TX ring sizes. */
  public static Supported<RingParams> parseRings(String text, String source) {
    String no = unsupported(text);
    if (no != null) {
      return Supported.no(no);
    }
    Map<String, Long> max = section(text, "Pre-set maximums:", source);
    Map<String, Long> cur = section(text, "Current hardware settings:", source);
    return Supported.yes(
        new RingParams(
            max.getOrDefault("RX", -1L),
            max.getOrDefault("TX", -1L),
            cur.getOrDefault("RX", -1L),
            cur.getOrDefault("TX", -1L)));
  }

  /** {@code ethtool -l DEV}: pre-set maximums and current channel counts. */
  public static Supported<Channels> parseChannels(String text, String source) {
    String no = unsupported(text);
    if (no != null) {
      return Supported.no(no);
    }
    Map<String, Long> max = section(text, "Pre-set maximums:", source);
    Map<String, Long> cur = section(text, "Current hardware settings:", source);
    return Supported.yes(
        new Channels(
            max.getOrDefault("RX", -1L),
            max.getOrDefault("TX", -1L),
            max.getOrDefault("Combined", -1L),
            cur.getOrDefault("RX", -1L),
            cur.getOrDefault("TX", -1L),
            cur.getOrDefault("Combined", -1L)));
  }

  /** {@code ethtool -k DEV}: {@code name: on|off [fixed]} lines, sub-features included. */
  public static Supported<Map<String, Feature>> parseFeatures(String text, String source) {
    String no = unsupported(text);
    if (no != null) {
      return Supported.no(no);
    }
    Map<String, Feature> out = new LinkedHashMap<>();
    List<String> lines = Text.lines(text);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      if (l.startsWith("Features for")) {
        continue;
      }
      int colon = l.indexOf(':');
      if (colon < 0) {
        throw new ParseException(source, i + 1, l, "expected 'feature: on|off'");
      }
      String v = l.substring(colon + 1).strip();
      if (!v.startsWith("on") && !v.startsWith("off")) {
        throw new ParseException(source, i + 1, l, "expected on or off");
      }
      String name = l.substring(0, colon).strip();
      out.put(name, new Feature(name, v.startsWith("on"), v.contains("[fixed]")));
    }
    return Supported.yes(out);
  }

  /**
   * {@code ethtool -c DEV}: coalescing parameters that have a number ({@code n/a} ones are left
   * out).
   */
  public static Supported<Map<String, Long>> parseCoalesce(String text, String source) {
    String no = unsupported(text);
    if (no != null) {
      return Supported.no(no);
    }
    Map<String, Long> out = new LinkedHashMap<>();
    for (String l : Text.lines(text)) {
      String s = l.strip();
      int colon = s.indexOf(':');
      if (colon < 0 || s.startsWith("Coalesce parameters")) {
        continue;
      }
      String v = s.substring(colon + 1).strip();
      Text.unsigned(v).ifPresent(x -> out.put(s.substring(0, colon).strip(), x));
    }
    // a driver that reports every parameter as n/a supports none of them: an empty map
    return Supported.yes(out);
  }

  /** Key/value lines of one section ("Pre-set maximums:" …) up to the next section header. */
  private static Map<String, Long> section(String text, String header, String source) {
    Map<String, Long> out = new LinkedHashMap<>();
    List<String> lines = Text.lines(text);
    int start = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).strip().equals(header)) {
        start = i + 1;
        break;
      }
    }
    if (start < 0) {
      throw new ParseException(source, 0, "", "no '" + header + "' section");
    }
    for (int i = start; i < lines.size(); i++) {
      String l = lines.get(i).strip();
      int colon = l.indexOf(':');
      if (colon < 0 || l.endsWith(":")) {
        break;
      }
      String v = l.substring(colon + 1).strip();
      if (v.equals("n/a") || v.equals("on") || v.equals("off")) {
        continue;
      }
      String key = l.substring(0, colon).strip();
      Text.unsigned(v).ifPresent(x -> out.put(key, x));
      // descriptive settings (e.g. "TCP data split: unknown") are not counts; skipped
    }
    return out;
  }
}
