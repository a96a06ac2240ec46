package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.sysctl.SysctlReader;
import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.reports.model.Verdict;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.local.LocalCleanup;
import io.kdensity.scale.targets.local.NodeLock;
import io.kdensity.tuning.apply.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
    LocalCleanup c = new LocalCleanup(host);
    c.remove(c.runsPresent());
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
      "kill -9 mid-ramp: cleanup leaves the live run alone, then after the kill one cleanup removes every kd- namespace and link and restores the values")
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
          .as("the run reaches step 2; it printed:%n%s", cli.output())
          .isTrue();
      // while it runs, the node is its own: a second run, a revert of its journal and a cleanup
      // of its namespaces are refused
      assertThatThrownBy(
              () ->
                  NodeLock.acquire(
                      NodeLock.defaultDir(),
                      NodeLock.Holder.run("zzzzzz", "second", Instant.now())))
          .isInstanceOf(InfrastructureException.class)
          .hasMessageContaining("another kdensity run is using this node")
          .hasMessageContaining("pid " + cli.process.pid());
      assertThat(
              Main.execute("profile", "revert", "--journal-dir", dir.resolve("journal").toString()))
          .isEqualTo(ExitCodes.INFRASTRUCTURE);
      assertThat(Journal.pending(dir.resolve("journal"))).hasSize(1);
      List<String> live = kdNamespaces();
      String runId = live.get(0).substring(3, 9);
      assertThat(Main.execute("cleanup", "--journal-dir", dir.resolve("journal").toString()))
          .isZero();
      assertThat(Main.execute("cleanup", "--run", runId)).isEqualTo(ExitCodes.INFRASTRUCTURE);
      assertThat(kdNamespaces()).containsAll(live);
      assertThat(Journal.pending(dir.resolve("journal"))).hasSize(1);
      assertThat(cli.process.isAlive()).isTrue();
      cli.process.destroyForcibly();
      cli.waitFor(Duration.ofSeconds(30));
    }
    // kill -9 does not leave the node locked
    NodeLock.acquire(NodeLock.defaultDir(), NodeLock.Holder.cleanup(Instant.now())).close();
    assertThat(kdNamespaces()).isNotEmpty();
    assertThat(Journal.pending(dir.resolve("journal"))).hasSize(1);

    // one command brings the node back: leftovers removed and the profile's values restored
    assertThat(Main.execute("cleanup", "--journal-dir", dir.resolve("journal").toString()))
        .isZero();
    assertThat(Journal.pending(dir.resolve("journal"))).isEmpty();

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
    // the tracefs helper of the killed run follows its parent within a second or two
    org.awaitility.Awaitility.await("the killed run's tracefs helper to end")
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                host.run(
                        io.kdensity.probes.shell.Command.of(
                            "sh", "-c", "pgrep -fc 'mount -t [t]racefs nodev' || true"))
                    .stdout()
                    .strip()
                    .equals("0"));
    assertThat(sysctls()).isEqualTo(before);
  }
}
