package io.kdensity.probes.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Helpers shared by parsers: line splitting, hex and decimal numbers, JSON arrays. */
public final class Text {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Text() {}

  /** Non-blank lines, without trailing whitespace. */
  public static List<String> lines(String text) {
    List<String> out = new ArrayList<>();
    for (String l : text.split("\n", -1)) {
      if (!l.isBlank()) {
        out.add(l.stripTrailing());
      }
    }
    return out;
  }

  /** Parses an unsigned hex number as the kernel prints it ({@code 000013bf}). */
  public static long hex(String token, String source, int lineNo, String line) {
    try {
      return Long.parseUnsignedLong(token, 16);
    } catch (NumberFormatException e) {
      throw new ParseException(source, lineNo, line, "'" + token + "' is not a hex number");
    }
  }

  /**
   * Parses an unsigned 64-bit decimal counter as ethtool and the kernel print it (up to
   * 18446744073709551615), into a long's bits: differences of two such values are right modulo
   * 2^64, so a counter that wrapped still yields its true increase.
   */
  public static long u64(String token, String source, int lineNo, String line) {
    try {
      return Long.parseUnsignedLong(token);
    } catch (NumberFormatException e) {
      throw new ParseException(
          source, lineNo, line, "'" + token + "' is not an unsigned 64-bit number");
    }
  }

  /** An unsigned decimal as long bits, or empty if {@code token} is not one ("n/a", "on"). */
  public static Optional<Long> unsigned(String token) {
    if (!token.matches("\\d{1,20}")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseUnsignedLong(token));
    } catch (NumberFormatException e) {
      return Optional.empty(); // 20 digits beyond 2^64
    }
  }

  /** Parses a decimal (possibly negative) number. */
  public static long dec(String token, String source, int lineNo, String line) {
    try {
      return Long.parseLong(token);
    } catch (NumberFormatException e) {
      throw new ParseException(source, lineNo, line, "'" + token + "' is not a number");
    }
  }

  /**
   * The first number of a sysctl file ({@code "1024\n"}, {@code "4096 131072 6291456\n"}).
   *
   * @throws ParseException naming the file when it holds no decimal number
   */
  public static long firstDecimal(String text, String source) {
    String t = text.strip();
    String first = t.isEmpty() ? "" : t.split("\\s+")[0];
    if (first.isEmpty()) {
      throw new ParseException(source, 1, text.strip(), "empty, expected a number");
    }
    return dec(first, source, 1, t);
  }

  /** Parses a JSON array as printed by {@code ip -j} or {@code bridge -j}. */
  public static JsonNode jsonArray(String text, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(text.isBlank() ? "[]" : text);
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
      throw new ParseException(
          source, line, lineAt(text, line), "not JSON (" + e.getOriginalMessage() + ")");
    }
    if (!root.isArray()) {
      throw new ParseException(source, 1, lineAt(text, 1), "expected a JSON array");
    }
    return root;
  }

  private static String lineAt(String text, int lineNo) {
    String[] ls = text.split("\n", -1);
    return lineNo >= 1 && lineNo <= ls.length ? ls[lineNo - 1] : "";
  }

  /**
   * A JSON field as text, or {@code null} if absent.
   *
   * @throws ParseException (through {@link #entry}) if the field is an object or array
   */
  public static String str(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isValueNode()) {
      throw new IllegalArgumentException("'" + field + "' is not a single value: " + v);
    }
    return v.asString();
  }

  /** Strings of a JSON array field, or an empty list. */
  public static List<String> strings(JsonNode n, String field) {
    JsonNode v = n.get(field);
    List<String> out = new ArrayList<>();
    if (v != null && v.isArray()) {
      for (JsonNode e : v) {
        if (!e.isValueNode()) {
          throw new IllegalArgumentException("'" + field + "' holds a non-value: " + e);
        }
        out.add(e.asString());
      }
    }
    return out;
  }

  /**
   * A JSON number field as a long, {@code dflt} if absent: an unsigned 64-bit value beyond {@link
   * Long#MAX_VALUE} (iproute2's {@code stats64}) keeps its bits, so differences stay right modulo
   * 2^64; a number written as a string is read too.
   *
   * @throws IllegalArgumentException (turned into a {@link ParseException} by {@link #entry}) if
   *     the field holds something else
   */
  public static long u64(JsonNode n, String field, long dflt) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull() || v.isMissingNode()) {
      return dflt;
    }
    if (v.isIntegralNumber()) {
      return v.bigIntegerValue().longValue();
    }
    if (v.isString() && v.asString().matches("\\d{1,20}")) {
      return Long.parseUnsignedLong(v.asString());
    }
    throw new IllegalArgumentException("'" + field + "' is not a whole number: " + v);
  }

  /** Like {@link #u64(JsonNode, String, long)} for small values (indexes, counts). */
  public static int i32(JsonNode n, String field, int dflt) {
    long v = u64(n, field, dflt);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("'" + field + "' is out of range: " + v);
    }
    return (int) v;
  }

  /**
   * Parses entry {@code index} (1-based) of a JSON array: whatever goes wrong with its fields (a
   * wrong type, a number out of range) becomes a {@link ParseException} naming the source and the
   * entry, never a Jackson or number format exception. iproute2 prints its JSON on one line, so
   * that line is named too.
   */
  public static <T> T entry(String source, String json, int index, Supplier<T> body) {
    try {
      return body.get();
    } catch (ParseException e) {
      throw e;
    } catch (RuntimeException e) {
      boolean oneLine = !json.strip().contains("\n");
      throw new ParseException(
          source,
          oneLine ? 1 : 0,
          "",
          "entry #" + index + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
    }
  }
}
