package io.kdensity.tuning.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.sysctl.SysctlReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real kernel: SIGKILL during apply, then revert from the journal. Needs root. */
@Tag("kernel")
class ProfileRevertAfterKillIT {
  private static final List<String> KEYS =
      List.of(
          "net.ipv6.neigh.default.gc_thresh1",
          "net.ipv6.neigh.default.gc_thresh2",
          "net.ipv6.neigh.default.gc_thresh3",
          "net.ipv4.neigh.default.gc_thresh3",
          "net.core.netdev_budget");

  @TempDir Path dir;
  private final LocalShell shell = new LocalShell();
  private final LocalNodeAccess access = new LocalNodeAccess(shell, "");

  @AfterEach
  void restoreWhateverIsLeft() {
    for (Path j : Journal.pending(dir.resolve("journal"))) {
      ProfileApplier.revert(j, access, ProfileApplier.Listener.NONE);
    }
  }

  private Map<String, String> read() {
    Map<String, String> out = new LinkedHashMap<>();
    SysctlReader r = new SysctlReader(shell);
    KEYS.forEach(k -> out.put(k, r.read(k)));
    return out;
  }

  @Test
  @DisplayName("kill -9 half-way through an apply, then revert: every value is back as before")
  void killDuringApplyThenRevert() throws Exception {
    Map<String, String> before = read();
    StringBuilder yaml = new StringBuilder("name: kill-test\nsysctl:\n");
    for (String k : KEYS) {
      yaml.append("  ")
          .append(k)
          .append(": ")
          .append(Long.parseLong(before.get(k)) + 7)
          .append('\n');
    }
    Path profile = dir.resolve("kill-test.yaml");
    Files.writeString(profile, yaml.toString());
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                ApplySlowly.class.getName(),
                profile.toString(),
                dir.resolve("journal").toString())
            .redirectErrorStream(true)
            .start();
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("apply 2/5")) {
        // wait until two of five values are applied
      }
      assertThat(line).isEqualTo("apply 2/5");
      child.destroyForcibly(); // SIGKILL
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }
    Map<String, String> half = read();
    assertThat(half).isNotEqualTo(before);
    assertThat(half.get("net.ipv6.neigh.default.gc_thresh1"))
        .isEqualTo(
            Long.toString(Long.parseLong(before.get("net.ipv6.neigh.default.gc_thresh1")) + 7));
    List<Path> journals = Journal.pending(dir.resolve("journal"));
    assertThat(journals).hasSize(1);

    assertThat(ProfileApplier.revert(journals.get(0), access, ProfileApplier.Listener.NONE))
        .isEmpty();

    assertThat(read()).isEqualTo(before);
    assertThat(Journal.pending(dir.resolve("journal"))).isEmpty();
  }
}
