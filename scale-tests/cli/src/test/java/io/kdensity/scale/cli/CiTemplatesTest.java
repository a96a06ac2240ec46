package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.config.yaml.Yaml;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.kube.FakeCluster;
import io.kdensity.scale.targets.kube.KubeTargets;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

  /** The checkout's launcher, and the distribution's as {@code ci/install-dist} unpacks it. */
  private static final Pattern LAUNCHER =
      Pattern.compile("(\\./kdensity|\\.kdensity/bin/kdensity) ");

  /** A template without its comment lines (they name the launcher in prose). */
  static String withoutComments(String text) {
    return text.lines()
        .filter(l -> !l.strip().startsWith("#"))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  /** Every kdensity command line in a text, with shell line continuations joined. */
  static List<List<String>> invocations(String text) {
    List<List<String>> out = new ArrayList<>();
    for (String line : withoutComments(text).replace("\\\n", " ").split("\n")) {
      Matcher m = LAUNCHER.matcher(line);
      if (!m.find()) {
        continue;
      }
      String cmd = line.substring(m.end()).split("\\|\\||&&|;|#")[0].strip();
      out.add(Arrays.stream(cmd.split("\\s+")).filter(t -> !t.isEmpty()).toList());
    }
    return out;
  }

  @Test
  @DisplayName(
      "every template installs the distribution with ci/install-dist before its first kdensity command and runs only that, never the self-building checkout launcher")
  void templatesRunTheDistribution() throws Exception {
    for (Path f : templates()) {
      String text = withoutComments(Files.readString(f));
      if (invocations(text).isEmpty()) {
        continue; // rule files
      }
      assertThat(text).as(f.toString()).doesNotContain("./kdensity ");
      int install = text.indexOf("ci/install-dist .kdensity");
      assertThat(install).as(f + " installs the distribution").isNotNegative();
      assertThat(install).as(f.toString()).isLessThan(text.indexOf(".kdensity/bin/kdensity "));
    }
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
      Map<String, String> params = tektonDefaults(text);
      for (List<String> args : invocations(text)) {
        commands++;
        new CommandLine(new Main())
            .parseArgs(args.stream().map(a -> withParams(a, params)).toArray(String[]::new));
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

  /** The variables a template sets for its commands: a node of the fake cluster and a NIC. */
  private static final Map<String, String> TEMPLATE_ENV =
      Map.of("KDENSITY_NODE", FakeCluster.NODE, "KDENSITY_MASTER", "ens1f0");

  private static final Pattern TEKTON_PARAM =
      Pattern.compile(
          "- name: ([\\w-]+)\\n(?:\\s+description: .*\\n)?\\s+default: \"?([^\"\\n]+)\"?");

  /** A Tekton task's parameters with their defaults ({@code $(params.NAME)} as Tekton fills it). */
  static Map<String, String> tektonDefaults(String text) {
    Map<String, String> out = new java.util.HashMap<>();
    java.util.regex.Matcher m = TEKTON_PARAM.matcher(text);
    while (m.find()) {
      out.put("$(params." + m.group(1) + ")", m.group(2).strip());
    }
    return out;
  }

  static String withParams(String arg, Map<String, String> params) {
    String v = arg;
    for (var e : params.entrySet()) {
      v = v.replace(e.getKey(), e.getValue());
    }
    return v;
  }

  /** A command line as the template's shell would run it: variables expanded, quotes removed. */
  static List<String> asShellRuns(List<String> args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      String v = a.replace("\"", "").replace("'", "");
      for (var e : TEMPLATE_ENV.entrySet()) {
        v =
            v.replace("${" + e.getKey() + "}", e.getValue())
                .replace("$" + e.getKey(), e.getValue());
      }
      out.add(v);
    }
    return out;
  }

  @Test
  @DisplayName(
      "each template's ramp plan loads with the template's variables and passes preflight on the fake cluster; its cleanup line cleans it")
  void templatesRunAgainstTheFakeCluster(@TempDir Path dir) throws Exception {
    try (FakeCluster cluster = new FakeCluster(2500, true).startKubelet()) {
      System.setProperty(
          "kubeconfig", cluster.writeKubeconfig(dir.resolve("kubeconfig")).toString());
      try {
        int ramps = 0;
        int cleanups = 0;
        for (Path f : templates()) {
          Map<String, String> params = tektonDefaults(Files.readString(f));
          for (List<String> raw : invocations(Files.readString(f))) {
            List<String> args = asShellRuns(raw).stream().map(a -> withParams(a, params)).toList();
            switch (args.get(0)) {
              case "ramp" -> {
                ramps++;
                // the gate's knee rule judges trials against trials: one run cannot be judged
                assertThat(args).as(f + ": the ramp runs trials").contains("--trials");
                assertThat(Integer.parseInt(args.get(args.indexOf("--trials") + 1)))
                    .isGreaterThanOrEqualTo(3);
                String planFile = args.get(args.indexOf("--plan") + 1);
                Plan plan = PlanLoader.load(Path.of("..").resolve(planFile), TEMPLATE_ENV);
                assertThat(plan.target().type()).as(f.toString()).isEqualTo(TargetSpec.Type.KUBE);
                assertThat(plan.target().node()).isEqualTo(FakeCluster.NODE);
                assertThat(plan.attachments())
                    .allMatch(a -> a.config().contains("\"master\":\"ens1f0\""));
                try (Target t = KubeTargets.create(plan, NodeFacts.UNKNOWN, Clock.SYSTEM)) {
                  t.preflight();
                }
              }
              case "cleanup" -> {
                cleanups++;
                assertThat(args)
                    .as(f + ": a cluster run is cleaned with --kube")
                    .contains("--kube");
                List<String> cmd = new ArrayList<>(args.subList(1, args.size()));
                cmd.addAll(List.of("--journal-dir", dir.resolve("journals").toString()));
                assertThat(
                        new CommandLine(new CleanupCommand()).execute(cmd.toArray(String[]::new)))
                    .as(f.toString())
                    .isZero();
              }
              default -> {
                // gate and baseline lines are parsed by templatesAreValid
              }
            }
          }
        }
        assertThat(ramps).isEqualTo(3);
        assertThat(cleanups).isEqualTo(3);
      } finally {
        System.clearProperty("kubeconfig");
      }
    }
  }

  @Test
  void gateRuleFilesLoad() {
    assertThat(io.kdensity.scale.gate.GateRules.load(CI.resolve("gate.yaml")))
        .extracting(r -> r.getClass().getSimpleName())
        .containsExactly(
            "VerdictIn", "KneeDrop", "NewFindings", "MetricRegression", "Absolute", "Drift");
    assertThat(io.kdensity.scale.gate.GateRules.load(CI.resolve("gate-smoke.yaml"))).hasSize(4);
  }

  @Test
  void theCiScriptRunsTheReadmeTestCommand() throws Exception {
    // README's quick start: the first fenced block, two commands, the second runs the tests
    List<String> quickStart =
        Files.readString(Path.of("..", "README.md"))
            .lines()
            .dropWhile(l -> !l.startsWith("```"))
            .skip(1)
            .takeWhile(l -> !l.startsWith("```"))
            .toList();
    assertThat(quickStart).hasSize(2);
    String testCommand = quickStart.get(1).replaceAll("\\s+#.*$", "").strip();
    assertThat(testCommand).startsWith("./kdensity ");
    // .ci/run calls exactly that command, on a line of its own
    assertThat(Files.readAllLines(Path.of("..", ".ci", "run"))).contains(testCommand);
  }
}
