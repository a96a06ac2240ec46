package io.kdensity.probes.drop;

import io.kdensity.probes.parse.ParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code events/skb/kfree_skb/format}: whether the event has a drop reason, and the number
 * this kernel gives each reason's name. The numbers differ between kernel versions (the enum grows
 * in the middle), so they are always read from the running kernel, from the event's print format:
 *
 * <pre>{@code
 * field:enum skb_drop_reason reason;	offset:36;	size:4;	signed:0;
 * print fmt: "... reason: %s", ..., __print_symbolic(REC->reason, { 2, "NOT_SPECIFIED" }, { 3, "NO_SOCKET" }, ...)
 * }</pre>
 */
public final class KfreeSkbFormat {
  private static final Pattern REASON_FIELD = Pattern.compile("field:[^;]*\\breason;");
  private static final String SYMBOLS = "__print_symbolic(REC->reason,";
  private static final Pattern SYMBOL =
      Pattern.compile("\\{\\s*(\\d+)\\s*,\\s*\"([A-Z0-9_]+)\"\\s*}");

  private KfreeSkbFormat() {}

  /**
   * The reasons' numbers by name; empty if the event has no {@code reason} field (a kernel before
   * 5.17).
   *
   * @throws ParseException if the event has a reason field but its names cannot be read
   */
  public static Map<String, Integer> reasons(String format, String source) {
    if (!REASON_FIELD.matcher(format).find()) {
      return Map.of();
    }
    int at = format.indexOf(SYMBOLS);
    if (at < 0) {
      throw new ParseException(source, 0, "", "a reason field but no __print_symbolic of it");
    }
    Map<String, Integer> out = new LinkedHashMap<>();
    Matcher m = SYMBOL.matcher(format);
    m.region(at, format.length());
    while (m.find()) {
      try {
        out.putIfAbsent(m.group(2), Integer.parseInt(m.group(1)));
      } catch (NumberFormatException e) {
        throw new ParseException(source, 0, m.group(), "a reason number out of range");
      }
    }
    if (out.isEmpty()) {
      throw new ParseException(source, 0, "", "no reason names in __print_symbolic");
    }
    return out;
  }
}
