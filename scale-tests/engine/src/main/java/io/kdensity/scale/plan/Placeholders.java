package io.kdensity.scale.plan;

import io.kdensity.config.yaml.ConfigError;
import io.kdensity.config.yaml.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Environment placeholders in a plan, so one plan serves every node of a fleet (CI sets the node
 * and its NIC): {@code ${NAME}} and {@code ${NAME:-default}}, NAME in upper case, expanded before
 * the YAML is read and line by line, so errors keep their lines. Comments are left alone. An unset
 * placeholder without a default is an error naming the file, the line and the variable.
 */
final class Placeholders {
  private static final Pattern PLACEHOLDER =
      Pattern.compile("\\$\\{([A-Z_][A-Z0-9_]*)(?::-([^}]*))?}");

  private Placeholders() {}

  /**
   * @throws ConfigException listing every unset placeholder with its line
   */
  static String expand(String text, String file, Map<String, String> env) {
    List<ConfigError> errors = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      int comment = commentStart(line);
      String code = line.substring(0, comment);
      Matcher m = PLACEHOLDER.matcher(code);
      StringBuilder expanded = new StringBuilder();
      while (m.find()) {
        String value = env.get(m.group(1));
        if (value == null || value.isEmpty()) {
          value = m.group(2);
        }
        if (value == null) {
          errors.add(
              new ConfigError(
                  file,
                  i + 1,
                  "${"
                      + m.group(1)
                      + "} is not set: export "
                      + m.group(1)
                      + "=… or give a default, ${"
                      + m.group(1)
                      + ":-value}"));
          value = "";
        }
        m.appendReplacement(expanded, Matcher.quoteReplacement(value));
      }
      m.appendTail(expanded);
      out.append(expanded).append(line, comment, line.length());
      if (i < lines.length - 1) {
        out.append('\n');
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return out.toString();
  }

  /** Where a YAML comment starts on this line (a # at the start or after a blank), or its end. */
  static int commentStart(String line) {
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
        return i;
      }
    }
    return line.length();
  }
}
