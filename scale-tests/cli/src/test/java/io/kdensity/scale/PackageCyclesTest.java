package io.kdensity.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The structure stays one-way: no cycle between the packages of any module (read from the main
 * sources' imports, across all modules), and neither target imports the other.
 */
class PackageCyclesTest {
  private static final Pattern PACKAGE =
      Pattern.compile("^package (io\\.kdensity[\\w.]*);", Pattern.MULTILINE);
  private static final Pattern IMPORT =
      Pattern.compile(
          "^import (?:static )?(io\\.kdensity(?:\\.[a-z]\\w*)*)\\.[A-Z]", Pattern.MULTILINE);

  /** package → the kdensity packages its main sources import. */
  static Map<String, Set<String>> graph() throws IOException {
    Map<String, Set<String>> g = new TreeMap<>();
    for (Path root : mainSourceRoots()) {
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          String text = Files.readString(f);
          Matcher p = PACKAGE.matcher(text);
          if (!p.find()) {
            continue;
          }
          Set<String> deps = g.computeIfAbsent(p.group(1), k -> new TreeSet<>());
          Matcher i = IMPORT.matcher(text);
          while (i.find()) {
            if (!i.group(1).equals(p.group(1))) {
              deps.add(i.group(1));
            }
          }
        }
      }
    }
    return g;
  }

  /** Every module's main sources, the scale-tests modules inside their folder included. */
  static List<Path> mainSourceRoots() throws IOException {
    Path sources = Path.of("src", "main", "java");
    try (Stream<Path> dirs =
        Files.find(Path.of(".."), 5, (p, a) -> a.isDirectory() && p.endsWith(sources))) {
      return dirs.filter(p -> !p.toString().contains("/target/")).sorted().toList();
    }
  }

  /** Strongly connected components of more than one package (Tarjan). */
  static List<Set<String>> cycles(Map<String, Set<String>> g) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    Deque<String> stack = new ArrayDeque<>();
    Set<String> on = new HashSet<>();
    List<Set<String>> out = new ArrayList<>();
    int[] next = {0};
    for (String v : g.keySet()) {
      if (!index.containsKey(v)) {
        connect(v, g, index, low, stack, on, out, next);
      }
    }
    return out;
  }

  private static void connect(
      String v,
      Map<String, Set<String>> g,
      Map<String, Integer> index,
      Map<String, Integer> low,
      Deque<String> stack,
      Set<String> on,
      List<Set<String>> out,
      int[] next) {
    index.put(v, next[0]);
    low.put(v, next[0]++);
    stack.push(v);
    on.add(v);
    for (String w : g.getOrDefault(v, Set.of())) {
      if (!index.containsKey(w)) {
        connect(w, g, index, low, stack, on, out, next);
        low.put(v, Math.min(low.get(v), low.get(w)));
      } else if (on.contains(w)) {
        low.put(v, Math.min(low.get(v), index.get(w)));
      }
    }
    if (low.get(v).equals(index.get(v))) {
      Set<String> comp = new TreeSet<>();
      String w;
      do {
        w = stack.pop();
        on.remove(w);
        comp.add(w);
      } while (!w.equals(v));
      if (comp.size() > 1) {
        out.add(comp);
      }
    }
  }

  @Test
  void noPackageCycles() throws IOException {
    Map<String, Set<String>> g = graph();
    assertThat(mainSourceRoots()).hasSizeGreaterThanOrEqualTo(10);
    assertThat(g).containsKeys("io.kdensity.config.yaml", "io.kdensity.scale.targets.kube");
    assertThat(cycles(g)).isEmpty();
  }

  @Test
  void neitherTargetImportsTheOther() throws IOException {
    Map<String, Set<String>> g = graph();
    assertThat(g.get("io.kdensity.scale.targets.kube"))
        .doesNotContain("io.kdensity.scale.targets.local");
    assertThat(g.get("io.kdensity.scale.targets.local"))
        .doesNotContain("io.kdensity.scale.targets.kube");
  }

  @Test
  void aPlantedCycleIsFound() {
    Map<String, Set<String>> g =
        Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"), "d", Set.of("a"));
    assertThat(cycles(g)).containsExactly(Set.of("a", "b", "c"));
  }
}
