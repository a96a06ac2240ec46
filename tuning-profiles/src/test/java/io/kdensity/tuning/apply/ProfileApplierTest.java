package io.kdensity.tuning.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kdensity.probes.shell.FixtureShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.tuning.profile.Profile;
import io.kdensity.tuning.profile.ProfileLoader;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileApplierTest {
  @TempDir Path dir;

  private final FixtureShell host =
      new FixtureShell("host")
          .file("/proc/sys/net/ipv6/neigh/default/gc_thresh1", "128\n")
          .file("/proc/sys/net/ipv6/neigh/default/gc_thresh3", "1024\n")
          .file("/proc/sys/net/core/netdev_budget", "300\n");
  private final FixtureShell node =
      new FixtureShell("node").file("/proc/sys/net/ipv6/route/max_size", "4096\n");

  /** Journals on disk at the moment of each write to the host: proves "journal first". */
  private final List<List<JournalEntry>> journalAtWrite = new ArrayList<>();

  private NodeShell watchedHost() {
    return new NodeShell() {
      public io.kdensity.probes.shell.CommandResult run(io.kdensity.probes.shell.Command c) {
        return host.run(c);
      }

      public String readFile(String path) {
        return host.readFile(path);
      }

      public void writeFile(String path, String content) {
        List<Path> pending = Journal.pending(dir.resolve("j"));
        journalAtWrite.add(pending.isEmpty() ? List.of() : Journal.read(pending.get(0)).entries());
        host.writeFile(path, content);
      }

      public String describe() {
        return host.describe();
      }
    };
  }

  private NodeAccess access() {
    return new NodeAccess() {
      public NodeShell host() {
        return watchedHost();
      }

      public NodeShell node() {
        return node;
      }

      public String nodeNamespace() {
        return "kd-t-node";
      }

      public Optional<NodeShell> namespace(String name) {
        return Optional.of(name.isEmpty() ? watchedHost() : node);
      }
    };
  }

  private Profile profile(String yaml) throws Exception {
    Path f = dir.resolve("p.yaml");
    Files.writeString(f, yaml);
    return new ProfileLoader(List.of()).load(f.toString());
  }

  @Test
  @DisplayName(
      "journals previous values before changing anything, splits node-wide and per-namespace keys, reverts")
  void appliesAndReverts() throws Exception {
    Profile p =
        profile(
            "name: t\nsysctl:\n  net.ipv6.neigh.default.gc_thresh3: 16384\n  net.core.netdev_budget: 300\n  net.ipv6.route.max_size: 1048576\n");
    List<String> seen = new ArrayList<>();
    ProfileApplier a =
        new ProfileApplier(
            access(),
            dir.resolve("j"),
            Clock.SYSTEM,
            (ph, i, n, e) -> seen.add(ph + " " + i + "/" + n + " " + e.describe()));
    try (ProfileApplier.Applied applied = a.apply(p)) {
      assertThat(applied.changes())
          .containsExactly(
              new JournalEntry(
                  JournalEntry.Kind.SYSCTL,
                  "",
                  "net.ipv6.neigh.default.gc_thresh3",
                  null,
                  "1024",
                  "16384"),
              new JournalEntry(
                  JournalEntry.Kind.SYSCTL,
                  "kd-t-node",
                  "net.ipv6.route.max_size",
                  null,
                  "4096",
                  "1048576"));
      assertThat(host.readFile("/proc/sys/net/ipv6/neigh/default/gc_thresh3")).isEqualTo("16384\n");
      assertThat(node.readFile("/proc/sys/net/ipv6/route/max_size")).isEqualTo("1048576\n");
      assertThat(Journal.read(applied.journal()).entries()).hasSize(2);
      assertThat(seen)
          .containsExactly(
              "apply 1/2 net.ipv6.neigh.default.gc_thresh3",
              "apply 2/2 net.ipv6.route.max_size (netns kd-t-node)");
    }
    assertThat(host.readFile("/proc/sys/net/ipv6/neigh/default/gc_thresh3")).isEqualTo("1024\n");
    assertThat(node.readFile("/proc/sys/net/ipv6/route/max_size")).isEqualTo("4096\n");
    assertThat(Journal.pending(dir.resolve("j"))).isEmpty();
    // the first write to the node found the journal on disk already, with the value to restore
    assertThat(journalAtWrite).hasSize(2); // apply, then revert
    assertThat(journalAtWrite.get(0))
        .extracting(JournalEntry::target, JournalEntry::previous)
        .contains(org.assertj.core.groups.Tuple.tuple("net.ipv6.neigh.default.gc_thresh3", "1024"));
  }

  @Test
  @DisplayName("a sysctl missing on the node stops the apply before any change")
  void missingSysctlChangesNothing() throws Exception {
    Profile p =
        profile(
            "name: t\nsysctl:\n  net.ipv6.neigh.default.gc_thresh3: 16384\n  net.ipv6.neigh.default.gc_thresh2: 8192\n");
    ProfileApplier a =
        new ProfileApplier(access(), dir.resolve("j"), Clock.SYSTEM, ProfileApplier.Listener.NONE);
    assertThatThrownBy(() -> a.apply(p))
        .isInstanceOf(ProfileApplier.ApplyException.class)
        .hasMessageContaining("nothing was changed")
        .hasMessageContaining(
            "sysctl net.ipv6.neigh.default.gc_thresh2 does not exist in fixture host");
    assertThat(host.calls()).noneMatch(c -> c.startsWith("write:"));
    assertThat(Journal.pending(dir.resolve("j"))).isEmpty();
  }

  @Test
  @DisplayName("a value the kernel does not keep rolls back what was applied")
  void failedVerificationRollsBack() throws Exception {
    FixtureShell files =
        new FixtureShell("host")
            .file("/proc/sys/net/ipv6/neigh/default/gc_thresh3", "1024\n")
            .file("/proc/sys/net/core/netdev_budget", "300\n");
    // A kernel that silently keeps netdev_budget at 300 whatever is written.
    NodeShell stubborn =
        new NodeShell() {
          public io.kdensity.probes.shell.CommandResult run(io.kdensity.probes.shell.Command c) {
            return files.run(c);
          }

          public String readFile(String path) {
            return files.readFile(path);
          }

          public void writeFile(String path, String content) {
            files.writeFile(path, path.endsWith("netdev_budget") ? "300" : content);
          }

          public String describe() {
            return files.describe();
          }
        };
    NodeAccess acc =
        new NodeAccess() {
          public NodeShell host() {
            return stubborn;
          }

          public NodeShell node() {
            return stubborn;
          }

          public String nodeNamespace() {
            return "";
          }

          public Optional<NodeShell> namespace(String n) {
            return Optional.of(stubborn);
          }
        };
    Profile p =
        profile(
            "name: t\nsysctl:\n  net.ipv6.neigh.default.gc_thresh3: 16384\n  net.core.netdev_budget: 600\n");
    ProfileApplier a =
        new ProfileApplier(acc, dir.resolve("j"), Clock.SYSTEM, ProfileApplier.Listener.NONE);
    assertThatThrownBy(() -> a.apply(p))
        .hasMessageContaining("failed at net.core.netdev_budget")
        .hasMessageContaining("reads back '300' after writing '600'")
        .hasMessageContaining("rolled back");
    assertThat(stubborn.readFile("/proc/sys/net/ipv6/neigh/default/gc_thresh3"))
        .isEqualTo("1024\n");
  }

  @Test
  void refusesWhileAJournalIsPending() throws Exception {
    Profile p = profile("name: t\nsysctl:\n  net.ipv6.neigh.default.gc_thresh3: 16384\n");
    ProfileApplier a =
        new ProfileApplier(access(), dir.resolve("j"), Clock.SYSTEM, ProfileApplier.Listener.NONE);
    ProfileApplier.Applied first = a.apply(p);
    // the journal's owner (this JVM) is alive: another run is using the node
    assertThatThrownBy(() -> a.apply(p))
        .hasMessageContaining("pid " + ProcessHandle.current().pid())
        .hasMessageContaining("is still running");
    // the same journal from a process that is gone: a crashed run's leftover
    Journal j = Journal.read(first.journal());
    new Journal(j.profile(), j.startedAt(), 999_999_999L, j.target(), j.entries())
        .write(first.journal());
    assertThatThrownBy(() -> a.apply(p))
        .hasMessageContaining("a previous run did not restore its values")
        .hasMessageContaining("run `kdensity profile revert` first");
    assertThat(ProfileApplier.revert(first.journal(), access(), ProfileApplier.Listener.NONE))
        .isEmpty();
    assertThat(host.readFile("/proc/sys/net/ipv6/neigh/default/gc_thresh3")).isEqualTo("1024\n");
  }

  @Test
  @DisplayName(
      "a journal records where its values live, and a revert refuses to write them anywhere else")
  void aJournalIsRevertedOnlyWhereItWasWritten() throws Exception {
    NodeAccess cluster =
        new NodeAccess() {
          public NodeShell host() {
            return watchedHost();
          }

          public NodeShell node() {
            return watchedHost();
          }

          public String nodeNamespace() {
            return "";
          }

          public Optional<NodeShell> namespace(String name) {
            return Optional.of(watchedHost());
          }

          public JournalTarget target() {
            return JournalTarget.cluster(null, "lab", "https://api.lab:6443", "worker-3", "uid-1");
          }
        };
    Profile p = profile("name: t\nsysctl:\n  net.ipv6.neigh.default.gc_thresh3: 16384\n");
    ProfileApplier.Applied applied =
        new ProfileApplier(cluster, dir.resolve("j"), Clock.SYSTEM, ProfileApplier.Listener.NONE)
            .apply(p);
    Journal j = Journal.read(applied.journal());
    assertThat(j.target())
        .isEqualTo(JournalTarget.cluster(null, "lab", "https://api.lab:6443", "worker-3", "uid-1"));
    // this machine's access is not the cluster node's: nothing written, the journal kept
    assertThatThrownBy(
            () -> ProfileApplier.revert(applied.journal(), access(), ProfileApplier.Listener.NONE))
        .hasMessageContaining(
            "holds values of node worker-3 of https://api.lab:6443 (context lab), not of this machine")
        .hasMessageContaining("nothing was restored");
    assertThat(applied.journal()).exists();
    assertThat(ProfileApplier.revert(applied.journal(), cluster, ProfileApplier.Listener.NONE))
        .isEmpty();
    assertThat(host.readFile("/proc/sys/net/ipv6/neigh/default/gc_thresh3")).isEqualTo("1024\n");
  }
}
