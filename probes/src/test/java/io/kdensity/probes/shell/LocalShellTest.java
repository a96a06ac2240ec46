package io.kdensity.probes.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class LocalShellTest {
  private final LocalShell shell = new LocalShell();

  @Test
  @DisplayName("runs a command and returns its output, exit code and stderr")
  void runsCommand() {
    CommandResult r = shell.run(Command.of("sh", "-c", "echo out; echo err >&2; exit 3"));
    assertThat(r.stdout()).isEqualTo("out\n");
    assertThat(r.stderr()).isEqualTo("err\n");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.firstErrorLine()).isEqualTo("err");
  }

  @Test
  void passesStdinAndEnvironment() {
    CommandResult r =
        shell.run(
            Command.of("sh", "-c", "cat; echo \"$KD_X\"")
                .withStdin("in\n")
                .withEnv(Map.of("KD_X", "42")));
    assertThat(r.stdout()).isEqualTo("in\n42\n");
  }

  @Test
  @DisplayName(
      "a started process reads its stdin, is read line by line as it prints, and gives its exit"
          + " code")
  void startedProcessGetsStdinAndGivesItsExitCode() {
    try (RunningProcess p =
        shell.start(
            Command.of("sh", "-c", "read a; echo \"<$a>\"; cat; exit 4").withStdin("x\ny\n"))) {
      assertThat(p.readLine()).isEqualTo("<x>");
      assertThat(p.readLine()).isEqualTo("y");
      assertThat(p.readLine()).isNull();
      assertThat(p.waitFor(Duration.ofSeconds(5))).isTrue();
      assertThat(p.exitCode()).isEqualTo(4);
    }
  }

  @Test
  @DisplayName("a missing program names the Debian package to install")
  void missingBinaryNamesPackage() {
    assertThatThrownBy(() -> shell.run(Command.of("/usr/lib/cni/no-such-plugin")))
        .isInstanceOf(MissingToolException.class)
        .hasMessageContaining("apt-get install -y containernetworking-plugins");
    assertThatThrownBy(() -> shell.run(Command.of("fping-not-here")))
        .isInstanceOf(MissingToolException.class)
        .hasMessageContaining("fping-not-here");
  }

  @Test
  @DisplayName("a command that outlives its timeout is killed, with its children")
  void timeoutKills() {
    long t0 = System.nanoTime();
    assertThatThrownBy(
            () ->
                shell.run(
                    Command.of("sh", "-c", "sleep 30 & sleep 30")
                        .withTimeout(Duration.ofMillis(300))))
        .isInstanceOf(CommandTimeoutException.class)
        .hasMessageContaining("300 ms");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    CommandResult r = shell.run(Command.of("sh", "-c", "pgrep -f '^sleep 30$' | wc -l"));
    assertThat(r.stdout().strip()).isEqualTo("0");
  }

  @Test
  @DisplayName(
      "reads whole /proc/sys values, which a read at a later offset would cut to one digit")
  void readsProcSysValuesWhole() {
    String viaCat = shell.run(Command.of("cat", "/proc/sys/net/core/netdev_budget")).stdout();
    assertThat(viaCat.strip()).hasSizeGreaterThan(1);
    assertThat(shell.readFile("/proc/sys/net/core/netdev_budget")).isEqualTo(viaCat);
    assertThat(shell.readFile("/proc/sys/net/ipv6/neigh/default/gc_thresh3"))
        .isEqualTo(
            shell.run(Command.of("cat", "/proc/sys/net/ipv6/neigh/default/gc_thresh3")).stdout());
  }

  @Test
  void readsFilesAndNamesMissingOnes() {
    assertThat(shell.readFile("/proc/sys/kernel/ostype")).isEqualTo("Linux\n");
    assertThatThrownBy(() -> shell.readFile("/proc/net/stat/no_such_cache"))
        .isInstanceOf(ShellException.class)
        .hasMessage("cannot read /proc/net/stat/no_such_cache: no such file");
    Map<String, FileRead> both =
        shell.readFiles(List.of("/proc/sys/kernel/ostype", "/nonexistent"));
    assertThat(both.get("/proc/sys/kernel/ostype").content()).isEqualTo("Linux\n");
    assertThat(both.get("/nonexistent").error()).contains("/nonexistent");
  }

  @Test
  @DisplayName("closeAll kills every process and its children, with one scan of the process table")
  void closeAllKillsProcessesAndChildren() {
    List<RunningProcess> ps = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      // the shell prints its child's pid, then waits for it
      ps.add(shell.start(Command.of("sh", "-c", "sleep 300 & echo $!; wait")));
    }
    List<Long> children = ps.stream().map(p -> Long.parseLong(p.readLine().strip())).toList();
    assertThat(children)
        .allMatch(c -> ProcessHandle.of(c).map(ProcessHandle::isAlive).orElse(false));

    LocalShell.closeAll(ps);

    assertThat(ps).noneMatch(RunningProcess::isAlive);
    assertThat(children).noneMatch(LocalShellTest::running);
  }

  /** Running, not a zombie waiting for whoever inherited it to reap it. */
  private static boolean running(long pid) {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
