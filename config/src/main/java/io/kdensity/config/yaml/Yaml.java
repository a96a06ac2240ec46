package io.kdensity.config.yaml;

import io.kdensity.config.yaml.YNode.YList;
import io.kdensity.config.yaml.YNode.YMap;
import io.kdensity.config.yaml.YNode.YScalar;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Composes YAML text into {@link YNode}s with line numbers. */
public final class Yaml {
  private Yaml() {}

  /** Reads and composes a file; a missing file or a syntax error is a {@link ConfigException}. */
  public static YNode load(Path file) {
    return parse(read(file), file.toString());
  }

  /** A configuration file's text; a missing or unreadable file is a {@link ConfigException}. */
  public static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(List.of(new ConfigError(file.toString(), 0, "no such file")));
    } catch (IOException e) {
      throw new ConfigException(
          List.of(new ConfigError(file.toString(), 0, "cannot read: " + e.getMessage())));
    }
  }

  /** Composes YAML text; {@code file} names it in errors. */
  public static YNode parse(String text, String file) {
    Optional<Node> root;
    try {
      root = new Compose(LoadSettings.builder().setLabel(file).build()).composeString(text);
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new ConfigException(
          List.of(new ConfigError(file, line, "not valid YAML: " + e.getProblem())));
    } catch (YamlEngineException e) {
      throw new ConfigException(
          List.of(new ConfigError(file, 0, "not valid YAML: " + e.getMessage())));
    }
    if (root.isEmpty()) {
      throw new ConfigException(List.of(new ConfigError(file, 0, "the file is empty")));
    }
    List<ConfigError> errors = new ArrayList<>();
    YNode n = convert(root.get(), "", file, errors);
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return n;
  }

  /**
   * Converts a node to plain Java values (maps, lists, strings, numbers, booleans, null), e.g. to
   * turn an inline CNI config written as YAML into JSON. Unquoted scalars that look like numbers or
   * booleans become numbers or booleans.
   */
  public static Object toPlain(YNode n) {
    if (n instanceof YMap m) {
      Map<String, Object> out = new LinkedHashMap<>();
      m.entries().forEach((k, v) -> out.put(k, toPlain(v)));
      return out;
    }
    if (n instanceof YList l) {
      List<Object> out = new ArrayList<>();
      l.items().forEach(i -> out.add(toPlain(i)));
      return out;
    }
    YScalar s = (YScalar) n;
    if (s.isNull()) {
      return null;
    }
    if (s.plain()) {
      String v = s.value();
      if (v.equals("true") || v.equals("false")) {
        return Boolean.parseBoolean(v);
      }
      if (v.matches("-?\\d{1,18}")) {
        return Long.parseLong(v);
      }
      if (v.matches("-?\\d+\\.\\d+")) {
        return Double.parseDouble(v);
      }
    }
    return s.value();
  }

  private static int line(Node n) {
    return n.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  private static YNode convert(Node n, String path, String file, List<ConfigError> errors) {
    if (n instanceof MappingNode m) {
      Map<String, YNode> entries = new LinkedHashMap<>();
      Map<String, Integer> keyLines = new HashMap<>();
      for (NodeTuple t : m.getValue()) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
          errors.add(new ConfigError(file, line(t.getKeyNode()), "keys must be plain words"));
          continue;
        }
        String key = k.getValue();
        String childPath = path.isEmpty() ? key : path + "." + key;
        if (entries.containsKey(key)) {
          errors.add(
              new ConfigError(
                  file,
                  line(k),
                  "'" + childPath + "' is given twice (first on line " + keyLines.get(key) + ")"));
          continue;
        }
        keyLines.put(key, line(k));
        entries.put(key, convert(t.getValueNode(), childPath, file, errors));
      }
      return new YMap(line(m), path, entries, keyLines);
    }
    if (n instanceof SequenceNode s) {
      List<YNode> items = new ArrayList<>();
      int i = 0;
      for (Node c : s.getValue()) {
        items.add(convert(c, path + "[" + i++ + "]", file, errors));
      }
      return new YList(line(s), path, items);
    }
    ScalarNode sc = (ScalarNode) n;
    boolean isNull = sc.getTag().equals(Tag.NULL) || (sc.getValue().isEmpty() && sc.isPlain());
    return new YScalar(line(sc), path, sc.getValue(), isNull, sc.isPlain());
  }
}
