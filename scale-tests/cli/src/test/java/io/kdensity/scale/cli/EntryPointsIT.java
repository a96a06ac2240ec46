package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.shell.LocalShell;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.targets.local.LocalCleanup;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two front doors as a user types them (issue 17): the launcher from a directory of their own
 * (also through a symlink on PATH) and README's Maven command, each with relative paths.
 */
@Tag("kernel")
class EntryPointsIT {
  private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
  @TempDir Path dir;

  @AfterEach
  void safetyNet() {
    LocalCleanup c = new LocalCleanup(new LocalShell());
    c.remove(c.runsPresent());
  }

  /** A two-step smoke plan in the user's own directory. */
  private void userPlan(Path where) throws IOException {
    Files.writeString(
        where.resolve("my.yaml"),
        Files.readString(REPO.resolve("scale-tests/plans/smoke.yaml"))
            .replace("steps: [2, 4]", "steps: [2]"));
  }

  private static String run(Path cwd, Map<String, String> env, List<String> cmd, int[] exit)
      throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    Path log = Files.createTempFile("kdensity-entry", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    assertThat(p.waitFor(10, TimeUnit.MINUTES)).as(String.join(" ", cmd)).isTrue();
    exit[0] = p.exitValue();
    String out = Files.readString(log, StandardCharsets.UTF_8);
    Files.delete(log);
    return out;
  }

  @Test
  @DisplayName(
      "on a jump host without the node tools (no iproute2, fping, ethtool: only Java and coreutils) help, version, gate and doctor run; a ramp names the missing packages; `test` refuses a mistyped option instead of running the suite")
  void launcherChecksWhatEachCommandNeeds() throws Exception {
    // a PATH with Java, Maven and the coreutils the launcher itself uses, nothing else
    Path bin = Files.createDirectories(dir.resolve("jumphost-bin"));
    for (String tool :
        List.of(
            "bash",
            "env",
            "dirname",
            "readlink",
            "basename",
            "id",
            "sort",
            "tr",
            "ls",
            "grep",
            "head",
            "find",
            "touch",
            "java",
            "mvn",
            "cat",
            "uname")) {
      Path real = Path.of("/usr/bin", tool);
      if (Files.exists(real)) {
        Files.createSymbolicLink(bin.resolve(tool), real.toRealPath());
      }
    }
    Map<String, String> env =
        Map.of("KDENSITY_NO_BUILD", "1", "KDENSITY_NO_INSTALL", "1", "PATH", bin.toString());
    int[] exit = new int[1];
    for (List<String> cmd :
        List.of(
            List.of("--version"),
            List.of("--help"),
            List.of("gate", "--help"),
            List.of("doctor", "--help"),
            List.of("profile", "list"))) {
      List<String> argv = new java.util.ArrayList<>(List.of(REPO.resolve("kdensity").toString()));
      argv.addAll(cmd);
      String out = run(dir, env, argv, exit);
      assertThat(exit[0]).as(cmd + ": " + out).isZero();
      assertThat(out).as(cmd.toString()).doesNotContain("missing Debian packages");
    }
    String ramp = run(dir, env, List.of(REPO.resolve("kdensity").toString(), "ramp"), exit);
    assertThat(exit[0]).isEqualTo(ExitCodes.INFRASTRUCTURE);
    assertThat(ramp).contains("missing Debian packages:").contains("fping").contains("iproute2");
    String test =
        run(dir, env, List.of(REPO.resolve("kdensity").toString(), "test", "--fsat"), exit);
    assertThat(exit[0]).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(test).contains("kdensity test: unknown argument(s): --fsat").doesNotContain("mvn");
  }

  @Test
  @DisplayName(
      "the launcher from another directory, called through a symlink on PATH, reads and writes relative paths there")
  void launcherFromAnotherDirectory() throws Exception {
    Path user = Files.createDirectories(dir.resolve("work"));
    userPlan(user);
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.createSymbolicLink(bin.resolve("kdensity"), REPO.resolve("kdensity"));
    int[] exit = new int[1];
    String out =
        run(
            user,
            Map.of("KDENSITY_NO_BUILD", "1", "PATH", bin + ":" + System.getenv("PATH")),
            // env looks kdensity up on the PATH given, as a shell would
            List.of("env", "kdensity", "ramp", "--plan", "my.yaml", "--out", "out", "--no-html"),
            exit);
    assertThat(exit[0]).as(out).isZero();
    RunSummary s = SummaryJson.read(user.resolve("out/summary.json"));
    assertThat(s.verdict()).isEqualTo(Verdict.PASSED);
    assertThat(s.planFile()).isEqualTo(user.resolve("my.yaml").toString());
    // and a gate with relative paths in the same directory
    Files.copy(user.resolve("out/summary.json"), user.resolve("baseline.json"));
    String gate =
        run(
            user,
            Map.of("KDENSITY_NO_BUILD", "1", "PATH", bin + ":" + System.getenv("PATH")),
            List.of(
                "env",
                "kdensity",
                "gate",
                "--summary",
                "out/summary.json",
                "--baseline",
                "baseline.json",
                "--rules",
                REPO.resolve("ci/gate-smoke.yaml").toString()),
            exit);
    assertThat(exit[0]).as(gate).isZero();
    assertThat(user.resolve("out/gate-junit.xml")).exists();
  }

  @Test
  @DisplayName("README's Maven command for the smoke plan runs as written, from the project root")
  void readmeMavenCommand() throws Exception {
    String line =
        Files.readString(REPO.resolve("README.md"))
            .lines()
            .filter(
                l -> l.startsWith("mvn verify -Pramp -Dkdensity.plan=scale-tests/plans/smoke.yaml"))
            .findFirst()
            .orElseThrow();
    List<String> cmd = new ArrayList<>(Arrays.asList(line.split("#")[0].strip().split("\\s+")));
    // a copy of the project, so the nested build does not rewrite the jars this build is testing
    Path copy = dir.resolve("kdensity");
    copyTracked(REPO, copy);
    int[] exit = new int[1];
    String out = run(copy, Map.of(), cmd, exit);
    assertThat(exit[0]).as(tail(out)).isZero();
    String outDir =
        cmd.stream().filter(a -> a.startsWith("-Dkdensity.out=")).findFirst().orElseThrow();
    Path results = copy.resolve(outDir.substring("-Dkdensity.out=".length()));
    assertThat(SummaryJson.read(results.resolve("summary.json")).verdict())
        .isEqualTo(Verdict.PASSED);
    assertThat(results.resolve("allure-report/index.html")).exists();
  }

  @Test
  @DisplayName(
      "the unpacked distribution runs a ramp and a gate without the checkout or Maven, and names its commit")
  void unpackedDistribution() throws Exception {
    Path tarball = distribution();
    Path install = Files.createDirectories(dir.resolve("opt"));
    int[] exit = new int[1];
    run(install, Map.of(), List.of("tar", "-xzf", tarball.toString()), exit);
    assertThat(exit[0]).isZero();
    Path home;
    try (var s = Files.list(install)) {
      home = s.findFirst().orElseThrow();
    }
    Path kdensity = home.resolve("bin/kdensity");
    assertThat(home.resolve("share/bash-completion/completions/kdensity"))
        .content()
        .contains("complete -F _complete_kdensity");
    Map<String, String> env = Map.of();
    String version = run(install, env, List.of(kdensity.toString(), "--version"), exit);
    assertThat(exit[0]).as(version).isZero();
    assertThat(version).matches("(?s)kdensity \\S+ \\(commit \\S+?[,)].*");
    Path user = Files.createDirectories(dir.resolve("work"));
    userPlan(user);
    String out =
        run(
            user,
            env,
            List.of(kdensity.toString(), "ramp", "--plan", "my.yaml", "--out", "out"),
            exit);
    assertThat(exit[0]).as(out).isZero();
    // it ran what it ships: no build, nothing from the checkout
    assertThat(out).doesNotContain("[kdensity] building").doesNotContain(REPO.toString());
    assertThat(SummaryJson.read(user.resolve("out/summary.json")).verdict())
        .isEqualTo(Verdict.PASSED);
    assertThat(user.resolve("out/allure-report/index.html")).exists();
    String gate =
        run(
            user,
            env,
            List.of(
                kdensity.toString(),
                "gate",
                "--summary",
                "out/summary.json",
                "--baseline",
                "out/summary.json",
                "--rules",
                home.resolve("ci/gate-smoke.yaml").toString()),
            exit);
    assertThat(exit[0]).as(gate).isZero();
  }

  @Test
  @DisplayName(
      "ci/install-dist, as the CI templates run it, unpacks a working distribution once and rebuilds only when kdensity's sources change")
  void ciInstallsTheDistributionOnce() throws Exception {
    Path tarball = distribution();
    Path copy = dir.resolve("checkout");
    copyTracked(REPO, copy);
    // a stand-in for `mvn package` that counts its calls and leaves the tarball it would build
    Path bin = Files.createDirectories(dir.resolve("fake-bin"));
    Path calls = dir.resolve("mvn-calls");
    Files.writeString(
        bin.resolve("mvn"),
        "#!/bin/sh\necho \"$*\" >> \""
            + calls
            + "\"\nmkdir -p scale-tests/cli/target && cp \""
            + tarball
            + "\" scale-tests/cli/target/\n");
    assertThat(bin.resolve("mvn").toFile().setExecutable(true)).isTrue();
    Map<String, String> env = Map.of("PATH", bin + ":" + System.getenv("PATH"));
    List<String> install = List.of("ci/install-dist", ".kdensity");
    int[] exit = new int[1];

    String first = run(copy, env, install, exit);
    assertThat(exit[0]).as(first).isZero();
    assertThat(Files.readAllLines(calls)).containsExactly("-B -q package -DskipTests");
    String version = run(copy, Map.of(), List.of(".kdensity/bin/kdensity", "--version"), exit);
    assertThat(exit[0]).as(version).isZero();
    assertThat(version).startsWith("kdensity ").doesNotContain("[kdensity] building");

    String again = run(copy, env, install, exit);
    assertThat(exit[0]).as(again).isZero();
    assertThat(again).contains("is up to date");
    // a baseline recorded by a job does not change the tool
    Files.writeString(copy.resolve("ci/baselines/new-node.json"), "{}");
    assertThat(run(copy, env, install, exit)).contains("is up to date");
    assertThat(Files.readAllLines(calls)).hasSize(1);

    // a change to kdensity's sources does
    Path main = copy.resolve("scale-tests/cli/src/main/java/io/kdensity/scale/cli/Main.java");
    Files.writeString(main, Files.readString(main) + "// changed\n");
    String rebuilt = run(copy, env, install, exit);
    assertThat(exit[0]).as(rebuilt).isZero();
    assertThat(rebuilt).contains("building the distribution");
    assertThat(Files.readAllLines(calls)).hasSize(2);
    assertThat(copy.resolve(".kdensity/bin/kdensity")).isExecutable();
  }

  /** The tarball this build's package phase made. */
  private static Path distribution() throws IOException {
    try (var s = Files.list(REPO.resolve("scale-tests/cli/target"))) {
      return s.filter(p -> p.getFileName().toString().matches("kdensity-.*\\.tar\\.gz"))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no distribution: run mvn package"));
    }
  }

  /** The project's files as git sees them (tracked, and new ones not ignored). */
  private static void copyTracked(Path repo, Path to) throws Exception {
    Process p =
        new ProcessBuilder(
                "git",
                "-C",
                repo.toString(),
                "ls-files",
                "-z",
                "--cached",
                "--others",
                "--exclude-standard")
            .redirectErrorStream(true)
            .start();
    String files = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).isZero();
    for (String f : files.split("\0")) {
      if (f.isEmpty() || !Files.exists(repo.resolve(f))) {
        continue;
      }
      Path target = to.resolve(f);
      Files.createDirectories(target.getParent());
      Files.copy(
          repo.resolve(f),
          target,
          java.nio.file.LinkOption.NOFOLLOW_LINKS,
          java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
    }
  }

  private static String tail(String s) {
    return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
  }
}
