package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kdensity.config.yaml.ConfigError;
import io.kdensity.config.yaml.ConfigException;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.scale.targets.InfrastructureException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI's answers to bad input: one clear message, exit code 2, nothing created. */
class CliTest {
  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run cli(String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
      int code = Main.execute(args);
      return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  static List<String> kdNamespaces() throws Exception {
    Path netns = Path.of("/run/netns");
    if (!Files.isDirectory(netns)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(netns)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> n.startsWith("kd-"))
          .sorted()
          .toList();
    }
  }

  @Test
  @DisplayName(
      "a plan with five mistakes: exit 2, five errors with their lines, nothing created on the node")
  void badPlanCreatesNothing() throws Exception {
    Path plan = dir.resolve("broken.yaml");
    Files.writeString(
        plan,
        String.join(
            "\n",
            "name: broken",
            "target: {type: local, local: {uplinks: 1}}",
            "attachments:",
            "  - name: a",
            "    config: {type: macvlan, master: uplink3, ipam: {type: host-local, ranges: [[{subnet: '172.16.0.0/16'}]]}}",
            "ramp: {steps: [0]}",
            "settle: soon",
            "stop: {policy: never}",
            ""));
    List<String> before = kdNamespaces();
    Run r =
        cli("ramp", "--plan", plan.toString(), "--out", dir.resolve("out").toString(), "--no-html");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .contains("bad input, nothing was created")
        .contains(
            plan
                + ":5: config of 'a': on the local target \"master\" must be uplink0..uplink0, found 'uplink3'")
        .contains(plan + ":5: config of 'a' uses 172.16.0.0/16")
        .contains(plan + ":6: 'ramp.steps[0]' must be between 1 and 100000, found 0")
        .contains(plan + ":7: 'settle' must be a duration")
        .contains(plan + ":8: 'stop.policy' must be one of first-failure, continue, found 'never'");
    assertThat(kdNamespaces()).isEqualTo(before);
    assertThat(dir.resolve("out/summary.json")).doesNotExist();
  }

  @Test
  @DisplayName("a soak with bad options: every problem named with its option, nothing created")
  void badSoakOptions() throws Exception {
    List<String> before = kdNamespaces();
    Run r =
        cli(
            "soak",
            "--plan",
            "plans/smoke.yaml",
            "--churn",
            "10percent",
            "--duration",
            "forever",
            "--out",
            dir.resolve("soak").toString(),
            "--no-html");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err())
        .contains("bad input, nothing was created")
        .contains("a soak needs --pods N, or a soak: section with pods in the plan")
        .contains("--duration: must be a duration like 30s, 10m, 6h, found 'forever'")
        .contains("--churn: must be a share and a period like 10%/5m, found '10percent'");
    Run tooShort =
        cli(
            "soak",
            "--plan",
            "plans/smoke.yaml",
            "--pods",
            "4",
            "--interval",
            "1s",
            "--out",
            dir.resolve("soak").toString(),
            "--no-html");
    assertThat(tooShort.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(tooShort.err()).contains("soak: interval must be at least 5s, found PT1S");
    assertThat(kdNamespaces()).isEqualTo(before);
  }

  @Test
  void unknownProfileIsBadInput() {
    Run r =
        cli(
            "ramp",
            "--plan",
            "plans/smoke.yaml",
            "--profile",
            "turbo",
            "--out",
            dir.resolve("o").toString(),
            "--no-html",
            "--profile-dir",
            "../tuning-profiles/profiles");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("turbo: no such profile (known: dense-ipv6, kernel-defaults)");
  }

  @Test
  @DisplayName("--help on every command the CLI has, read from picocli rather than a hand list")
  void helpEverywhere() {
    Set<String> commands = new CommandLine(new Main()).getSubcommands().keySet();
    assertThat(commands).contains("ramp", "soak", "doctor", "sim-cluster", "metrics");
    for (String cmd : commands) {
      if (cmd.equals("help")) {
        continue; // picocli's own: `help` takes a command, not --help
      }
      Run r = cli(cmd, "--help");
      assertThat(r.code()).as(cmd).isZero();
      assertThat(r.out()).as(cmd).startsWith("Usage: kdensity " + cmd);
    }
  }

  /** An exception a command ends with, and the exit code it gets. */
  record Ending(Exception thrown, int code) {}

  @Test
  @DisplayName("the user's mistakes exit 2, the node's or cluster's 3, kdensity's own bugs 4")
  void exitCodeByKindOfError() {
    List<Ending> table =
        List.of(
            new Ending(new ConfigException(List.of(new ConfigError("p.yaml", 3, "bad"))), 2),
            new Ending(new UsageError("--format must be sysctl-d, tuned or nto"), 2),
            new Ending(new SummaryJson.BadSummaryException("not a summary"), 2),
            new Ending(new InfrastructureException("fping missing"), 3),
            new Ending(new java.io.UncheckedIOException(new java.io.IOException("disk")), 3),
            new Ending(new KubernetesClientException("connection refused"), 3),
            new Ending(new IllegalArgumentException("cause does not explain code"), 4),
            new Ending(new IllegalStateException("metric declared twice"), 4),
            new Ending(new NullPointerException(), 4),
            new Ending(new IndexOutOfBoundsException(), 4));
    for (Ending e : table) {
      assertThat(Main.exitCodeOf(e.thrown())).as(e.thrown().toString()).isEqualTo(e.code());
    }
  }

  @Test
  @DisplayName("a bad option value is the user's mistake (2), not reported as a bug")
  void optionMistakesAreUsageErrorsNotBugs() {
    // SimOptions checks sim-cluster's values with IllegalArgumentException; the command turns
    // them into usage errors
    Run r = cli("profile", "export", "dense-ipv6", "--format", "xml");
    assertThat(r.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(r.err()).contains("--format must be sysctl-d, tuned or nto, found 'xml'");
    Run bad = cli("sim-cluster", "--kubeconfig", dir.resolve("k").toString(), "--max-pods", "0");
    assertThat(bad.code()).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(bad.err()).contains("--max-pods must be at least 1, got 0").doesNotContain("bug");
  }

  @Test
  void profileExportPrintsASysctlDropIn() {
    Run r =
        cli(
            "profile",
            "export",
            "dense-ipv6",
            "--format",
            "sysctl-d",
            "--profile-dir",
            "../tuning-profiles/profiles");
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("net.ipv6.neigh.default.gc_thresh3 = 65536");
    assertThat(cli("profile", "export", "dense-ipv6", "--format", "xml").code())
        .isEqualTo(ExitCodes.BAD_INPUT);
  }
}
