package io.kdensity.config.yaml;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML node that remembers where it was written. */
public sealed interface YNode permits YNode.YMap, YNode.YList, YNode.YScalar {

  /** 1-based line in the file. */
  int line();

  /** Dotted path from the document root, e.g. {@code ramp.steps[2]}. */
  String path();

  /** A human name of the node's type, for messages. */
  String kind();

  /** A mapping; keys keep their order and their own lines. */
  record YMap(int line, String path, Map<String, YNode> entries, Map<String, Integer> keyLines)
      implements YNode {
    public YMap {
      entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
      keyLines = Map.copyOf(keyLines);
    }

    public YNode get(String key) {
      return entries.get(key);
    }

    public int keyLine(String key) {
      return keyLines.getOrDefault(key, line);
    }

    @Override
    public String kind() {
      return "a mapping";
    }
  }

  /** A sequence. */
  record YList(int line, String path, List<YNode> items) implements YNode {
    public YList {
      items = List.copyOf(items);
    }

    @Override
    public String kind() {
      return "a list";
    }
  }

  /**
   * A scalar, as written (null is the empty string with {@code isNull}); {@code plain} if it was
   * not quoted, so {@code 64} is a number and {@code "64"} a string when converted to JSON.
   */
  record YScalar(int line, String path, String value, boolean isNull, boolean plain)
      implements YNode {
    @Override
    public String kind() {
      return isNull ? "empty" : "'" + value + "'";
    }
  }
}
