package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.sysctl.SysctlReader;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.run.NodeLock;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.local.LocalCleanup;
import io.kdensity.tuning.apply.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real kernel: Ctrl-C and kill -9 during a ramp leave nothing behind (after cleanup). */
@Tag("kernel")
class InterruptAndKillIT {
  private static final List<String> SYSCTLS =
      List.of(
          "net.core.rmem_max", "net.core.netdev_max_backlog", "net.ipv6.neigh.default.gc_thresh3");
  @TempDir Path dir;
  private final LocalShell host = new LocalShell();

  private Path plan() throws Exception {
    Path p = dir.resolve("long.yaml");
    Files.writeString(
        p,
        Files.readString(Path.of("plans/smoke.yaml"))
            .replace("steps: [2, 4]", "steps: [4, 8, 12, 16, 20, 24]"));
    return p;
  }

  private Map<String, String> sysctls() {
    SysctlReader r = new SysctlReader(host);
    return Map.of(
        SYSCTLS.get(0),
        r.read(SYSCTLS.get(0)),
        SYSCTLS.get(1),
        r.read(SYSCTLS.get(1)),
        SYSCTLS.get(2),
        r.read(SYSCTLS.get(2)));
  }

  private List<String> kdNamespaces() {
    return new LocalCleanup(host)
        .listNamespaces().stream().filter(n -> n.startsWith("kd-")).toList();
  }

  @AfterEach
  void safetyNet() {
    new LocalCleanup(host).removeAll();
    for (Path j : Journal.pending(dir.resolve("journal"))) {
      io.kdensity.tuning.apply.ProfileApplier.revert(
          j,
          new io.kdensity.tuning.apply.LocalNodeAccess(host, ""),
          io.kdensity.tuning.apply.ProfileApplier.Listener.NONE);
    }
  }

  @Test
  @DisplayName(
      "Ctrl-C during a step: clean stop, no leftovers, profile reverted, partial summary written")
  void ctrlC() throws Exception {
    Map<String, String> before = sysctls();
    Path out = dir.resolve("out");
    try (ChildCli cli =
        new ChildCli(
            Map.of("KDENSITY_JOURNAL_DIR", dir.resolve("journal").toString()),
            "ramp",
            "--plan",
            plan().toString(),
            "--out",
            out.toString(),
            "--profile",
            "kernel-defaults",
            "--no-html")) {
      assertThat(
              cli.awaitLine(
                  l -> l.contains("step 02:") && l.contains("scaling"), Duration.ofMinutes(2)))
          .as(String.join("\n", cli.lines))
          .isTrue();
      cli.signal("INT");
      int code = cli.waitFor(Duration.ofMinutes(2));
      assertThat(code).as(String.join("\n", cli.lines)).isEqualTo(ExitCodes.INTERRUPTED);
      assertThat(cli.lines).anyMatch(l -> l.contains("interrupted: stopping, cleaning up"));
    }
    RunSummary s = SummaryJson.read(out.resolve("summary.json"));
    assertThat(s.verdict()).isEqualTo(Verdict.INTERRUPTED);
    assertThat(s.steps()).hasSizeGreaterThanOrEqualTo(1);
    assertThat(s.steps().get(0).pods()).isEqualTo(4);
    assertThat(kdNamespaces()).isEmpty();
    assertThat(Journal.pending(dir.resolve("journal"))).isEmpty();
    assertThat(sysctls()).isEqualTo(before);
  }

  @Test
  @DisplayName(
      "kill -9 mid-ramp, then cleanup and profile revert: zero kd- namespaces and links, values back")
  void killThenCleanup() throws Exception {
    Map<String, String> before = sysctls();
    try (ChildCli cli =
        new ChildCli(
            Map.of("KDENSITY_JOURNAL_DIR", dir.resolve("journal").toString()),
            "ramp",
            "--plan",
            plan().toString(),
            "--out",
            dir.resolve("out").toString(),
            "--profile",
            "kernel-defaults",
            "--no-html")) {
      assertThat(
              cli.awaitLine(
                  l -> l.contains("step 02:") && l.contains("scaling"), Duration.ofMinutes(2)))
          .isTrue();
      // while it runs, the node is its own: a second run and a revert of its journal are refused
      assertThatThrownBy(() -> NodeLock.acquire(NodeLock.defaultDir(), "second run"))
          .isInstanceOf(InfrastructureException.class)
          .hasMessageContaining("another kdensity run is using this node")
          .hasMessageContaining("pid " + cli.process.pid());
      assertThat(
              Main.execute("profile", "revert", "--journal-dir", dir.resolve("journal").toString()))
          .isEqualTo(ExitCodes.INFRASTRUCTURE);
      assertThat(Journal.pending(dir.resolve("journal"))).hasSize(1);
      cli.process.destroyForcibly();
      cli.waitFor(Duration.ofSeconds(30));
    }
    // kill -9 does not leave the node locked
    NodeLock.acquire(NodeLock.defaultDir(), "after kill").close();
    assertThat(kdNamespaces()).isNotEmpty();
    assertThat(Journal.pending(dir.resolve("journal"))).hasSize(1);

    assertThat(Main.execute("cleanup")).isZero();
    assertThat(
            Main.execute("profile", "revert", "--journal-dir", dir.resolve("journal").toString()))
        .isZero();

    assertThat(kdNamespaces()).isEmpty();
    String links = host.run(io.kdensity.probes.shell.Command.of("ip", "-o", "link")).stdout();
    assertThat(links).doesNotContain(": kd-");
    String anchors =
        host.run(
                io.kdensity.probes.shell.Command.of(
                    "sh", "-c", "pgrep -fc '^sleep 2147483647$' || true"))
            .stdout()
            .strip();
    assertThat(anchors).isEqualTo("0");
    assertThat(sysctls()).isEqualTo(before);
  }
}
