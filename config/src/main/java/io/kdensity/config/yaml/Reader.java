package io.kdensity.config.yaml;

import io.kdensity.config.yaml.YNode.YList;
import io.kdensity.config.yaml.YNode.YMap;
import io.kdensity.config.yaml.YNode.YScalar;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads typed values out of {@link YNode}s and collects every problem with its line instead of
 * stopping at the first. A read that fails records an error and returns the default, so binding
 * continues and the user sees all mistakes at once.
 *
 * <p>Over 300 lines: one accessor per kind of value (text, bounded integer, duration, enum, list,
 * map…), each with its own message, all feeding one list of errors.
 *
 * <pre>{@code
 * Reader r = new Reader("plan.yaml");
 * YMap root = r.map(Yaml.load(path));
 * r.allowOnly(root, List.of("name", "ramp"));
 * String name = r.string(root, "name", null);
 * r.throwIfAny();
 * }</pre>
 */
public final class Reader {
  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");
  private final String file;
  private final List<ConfigError> errors = new ArrayList<>();

  public Reader(String file) {
    this.file = file;
  }

  public String file() {
    return file;
  }

  public void error(YNode at, String message) {
    errors.add(new ConfigError(file, at == null ? 0 : at.line(), message));
  }

  public void error(int line, String message) {
    errors.add(new ConfigError(file, line, message));
  }

  public List<ConfigError> errors() {
    return List.copyOf(errors);
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  /** Fails with every error collected so far, in line order. */
  public void throwIfAny() {
    if (!errors.isEmpty()) {
      List<ConfigError> sorted = new ArrayList<>(errors);
      sorted.sort(Comparator.comparingInt(ConfigError::line));
      throw new ConfigException(sorted);
    }
  }

  /** Reports keys of {@code m} that are not in {@code allowed}, suggesting the closest one. */
  public void allowOnly(YMap m, Collection<String> allowed) {
    if (m == null) {
      return;
    }
    for (String k : m.entries().keySet()) {
      if (!allowed.contains(k)) {
        String near = closest(k, allowed);
        String where = m.path().isEmpty() ? "" : " in '" + m.path() + "'";
        errors.add(
            new ConfigError(
                file,
                m.keyLine(k),
                "unknown key '"
                    + k
                    + "'"
                    + where
                    + (near == null ? "" : " (did you mean '" + near + "'?)")));
      }
    }
  }

  /** The node as a mapping, or an error and {@code null}. */
  public YMap map(YNode n) {
    if (n instanceof YMap m) {
      return m;
    }
    if (n != null) {
      error(n, "'" + label(n) + "' must be a mapping (key: value), found " + n.kind());
    }
    return null;
  }

  public Optional<YNode> opt(YMap m, String key) {
    if (m == null) {
      return Optional.empty();
    }
    YNode n = m.get(key);
    if (n instanceof YScalar s && s.isNull()) {
      return Optional.empty();
    }
    return Optional.ofNullable(n);
  }

  /** A required child: an error naming the parent's line if absent. */
  public Optional<YNode> require(YMap m, String key) {
    Optional<YNode> n = opt(m, key);
    if (n.isEmpty() && m != null) {
      errors.add(
          new ConfigError(
              file,
              m.line(),
              "missing required key '" + (m.path().isEmpty() ? key : m.path() + "." + key) + "'"));
    }
    return n;
  }

  public YMap map(YMap m, String key) {
    return opt(m, key).map(this::map).orElse(null);
  }

  public YList list(YMap m, String key) {
    Optional<YNode> n = opt(m, key);
    if (n.isEmpty()) {
      return null;
    }
    if (n.get() instanceof YList l) {
      return l;
    }
    error(n.get(), "'" + label(n.get()) + "' must be a list, found " + n.get().kind());
    return null;
  }

  public String scalar(YNode n) {
    if (n instanceof YScalar s) {
      return s.value();
    }
    error(n, "'" + label(n) + "' must be a single value, found " + n.kind());
    return null;
  }

  public String string(YMap m, String key, String def) {
    return opt(m, key).map(this::scalar).orElse(def);
  }

  public String requireString(YMap m, String key) {
    return require(m, key).map(this::scalar).orElse(null);
  }

  public long integer(YMap m, String key, long def, long min, long max) {
    Optional<YNode> n = opt(m, key);
    return n.isEmpty() ? def : integer(n.get(), def, min, max);
  }

  public long integer(YNode n, long def, long min, long max) {
    String v = scalar(n);
    if (v == null) {
      return def;
    }
    try {
      long x = Long.parseLong(v.replace("_", ""));
      if (x < min || x > max) {
        error(n, "'" + label(n) + "' must be between " + min + " and " + max + ", found " + x);
        return def;
      }
      return x;
    } catch (NumberFormatException e) {
      error(n, "'" + label(n) + "' must be a whole number, found '" + v + "'");
      return def;
    }
  }

  public double number(YMap m, String key, double def, double min, double max) {
    Optional<YNode> n = opt(m, key);
    if (n.isEmpty()) {
      return def;
    }
    String v = scalar(n.get());
    if (v == null) {
      return def;
    }
    try {
      double x = Double.parseDouble(v);
      if (x < min || x > max) {
        error(
            n.get(),
            "'" + label(n.get()) + "' must be between " + min + " and " + max + ", found " + v);
        return def;
      }
      return x;
    } catch (NumberFormatException e) {
      error(n.get(), "'" + label(n.get()) + "' must be a number, found '" + v + "'");
      return def;
    }
  }

  public boolean bool(YMap m, String key, boolean def) {
    Optional<YNode> n = opt(m, key);
    if (n.isEmpty()) {
      return def;
    }
    String v = scalar(n.get());
    if ("true".equals(v) || "false".equals(v)) {
      return Boolean.parseBoolean(v);
    }
    if (v != null) {
      error(n.get(), "'" + label(n.get()) + "' must be true or false, found '" + v + "'");
    }
    return def;
  }

  /** Durations like {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}. */
  public Duration duration(YMap m, String key, Duration def) {
    Optional<YNode> n = opt(m, key);
    if (n.isEmpty()) {
      return def;
    }
    String v = scalar(n.get());
    if (v == null) {
      return def;
    }
    Optional<Duration> d = parseDuration(v);
    if (d.isEmpty()) {
      error(
          n.get(),
          "'" + label(n.get()) + "' must be a duration like 500ms, 30s, 2m, found '" + v + "'");
      return def;
    }
    return d.get();
  }

  public static Optional<Duration> parseDuration(String v) {
    Matcher mt = DURATION.matcher(v.strip());
    if (!mt.matches()) {
      return Optional.empty();
    }
    double x = Double.parseDouble(mt.group(1));
    long ms =
        switch (mt.group(2)) {
          case "ms" -> (long) x;
          case "s" -> (long) (x * 1000);
          case "m" -> (long) (x * 60_000);
          default -> (long) (x * 3_600_000);
        };
    return Optional.of(Duration.ofMillis(ms));
  }

  /** One of the enum's constants, written in lower case with dashes ({@code stop-at-first}). */
  public <E extends Enum<E>> E enumValue(YMap m, String key, Class<E> type, E def) {
    Optional<YNode> n = opt(m, key);
    if (n.isEmpty()) {
      return def;
    }
    String v = scalar(n.get());
    if (v == null) {
      return def;
    }
    for (E e : type.getEnumConstants()) {
      if (wireName(e).equals(v)) {
        return e;
      }
    }
    List<String> names = Arrays.stream(type.getEnumConstants()).map(Reader::wireName).toList();
    error(
        n.get(),
        "'"
            + label(n.get())
            + "' must be one of "
            + String.join(", ", names)
            + ", found '"
            + v
            + "'");
    return def;
  }

  public static String wireName(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A list of single values (or one value, as a one-element list). */
  public List<String> strings(YMap m, String key) {
    Optional<YNode> n = opt(m, key);
    if (n.isEmpty()) {
      return List.of();
    }
    if (n.get() instanceof YScalar s) {
      return List.of(s.value());
    }
    YList l = list(m, key);
    List<String> out = new ArrayList<>();
    if (l != null) {
      for (YNode i : l.items()) {
        String v = scalar(i);
        if (v != null) {
          out.add(v);
        }
      }
    }
    return out;
  }

  private static String label(YNode n) {
    return n.path().isEmpty() ? "(document)" : n.path();
  }

  /** The allowed word nearest to {@code k} by edit distance, if it is close. */
  public static String closest(String k, Collection<String> allowed) {
    String best = null;
    int bestD = Integer.MAX_VALUE;
    for (String a : allowed) {
      int d = distance(k.toLowerCase(Locale.ROOT), a.toLowerCase(Locale.ROOT));
      if (d < bestD) {
        bestD = d;
        best = a;
      }
    }
    return bestD <= Math.max(2, k.length() / 3) ? best : null;
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int c = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + c);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
