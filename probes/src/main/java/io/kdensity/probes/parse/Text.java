package io.kdensity.probes.parse;

import java.util.ArrayList;
import java.util.List;
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

  /** A JSON field as text, or {@code null} if absent. */
  public static String str(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asString();
  }

  /** Strings of a JSON array field, or an empty list. */
  public static List<String> strings(JsonNode n, String field) {
    JsonNode v = n.get(field);
    List<String> out = new ArrayList<>();
    if (v != null && v.isArray()) {
      for (JsonNode e : v) {
        out.add(e.asString());
      }
    }
    return out;
  }
}
