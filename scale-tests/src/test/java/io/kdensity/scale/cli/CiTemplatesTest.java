package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.tuning.yaml.Yaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The CI templates in ci/ are valid YAML and only use kdensity commands and options that exist. */
class CiTemplatesTest {
  private static final Path CI = Path.of("..", "ci");

  static List<Path> templates() throws Exception {
    try (Stream<Path> s = Files.walk(CI)) {
      return s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml"))
          .sorted()
          .toList();
    }
  }

  /** Every {@code ./kdensity …} command line in a text, with shell line continuations joined. */
  static List<List<String>> invocations(String text) {
    List<List<String>> out = new ArrayList<>();
    for (String line : text.replace("\\\n", " ").split("\n")) {
      int i = line.indexOf("./kdensity ");
      if (i < 0) {
        continue;
      }
      String cmd = line.substring(i + "./kdensity ".length()).split("\\|\\||&&|;|#")[0].strip();
      out.add(Arrays.stream(cmd.split("\\s+")).filter(t -> !t.isEmpty()).toList());
    }
    return out;
  }

  @Test
  @DisplayName(
      "every template parses as YAML and every kdensity command in it parses with the real CLI")
  void templatesAreValid() throws Exception {
    List<Path> files = templates();
    assertThat(files)
        .extracting(p -> p.getFileName().toString())
        .contains("kdensity.yml", "kdensity.gitlab-ci.yml", "kdensity-task.yaml", "gate.yaml");
    int commands = 0;
    for (Path f : files) {
      String text = Files.readString(f);
      Yaml.parse(text, f.toString());
      for (List<String> args : invocations(text)) {
        commands++;
        new CommandLine(new Main()).parseArgs(args.toArray(String[]::new));
      }
    }
    String ciRun = Files.readString(Path.of("..", ".ci", "run"));
    for (List<String> args : invocations(ciRun)) {
      commands++;
      new CommandLine(new Main())
          .parseArgs(
              args.stream()
                  .filter(a -> !a.equals("test") && !a.equals("--fast"))
                  .toArray(String[]::new));
    }
    assertThat(commands).isGreaterThanOrEqualTo(8);
  }

  @Test
  void gateRuleFilesLoad() {
    assertThat(io.kdensity.scale.gate.GateRules.load(CI.resolve("gate.yaml"))).hasSize(5);
    assertThat(io.kdensity.scale.gate.GateRules.load(CI.resolve("gate-smoke.yaml"))).hasSize(4);
  }

  @Test
  void theCiScriptRunsTheReadmeTestCommand() throws Exception {
    String readme = Files.readString(Path.of("..", "README.md"));
    String ciRun = Files.readString(Path.of("..", ".ci", "run"));
    assertThat(readme).contains("./kdensity test        # the test suite");
    assertThat(ciRun).contains("\n./kdensity test\n");
  }
}
