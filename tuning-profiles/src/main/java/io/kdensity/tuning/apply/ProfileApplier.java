package io.kdensity.tuning.apply;

import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.ShellException;
import io.kdensity.probes.sysctl.Sysctl;
import io.kdensity.tuning.profile.NicSetting;
import io.kdensity.tuning.profile.NicSettings;
import io.kdensity.tuning.profile.Profile;
import io.kdensity.tuning.profile.Setting;
import io.micrometer.core.instrument.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a profile transactionally: every previous value is read and journalled to disk before the
 * first change; each change is read back and verified; a failure rolls back what was applied;
 * {@link Applied#revert()} (end of run) or {@link #revert(Path, NodeAccess, Listener)} (after a
 * crash) restores every journalled value.
 *
 * <p>Apply, verify, roll back and revert stay in one class, over 300 lines: they share the journal
 * and its order of writes, and a change to one is a change to all.
 *
 * <pre>{@code
 * ProfileApplier applier = new ProfileApplier(access, journalDir, clock, Listener.NONE);
 * try (ProfileApplier.Applied a = applier.apply(profile)) {
 *   // … run the ramp …
 * } // reverted here
 * }</pre>
 */
public final class ProfileApplier {

  /** Progress of an apply or revert, for terminals and tests. */
  public interface Listener {
    Listener NONE = (phase, i, total, e) -> {};

    /**
     * @param phase {@code apply} or {@code revert}
     * @param index 1-based index of the change just made
     */
    void changed(String phase, int index, int total, JournalEntry e);
  }

  /** A profile cannot be applied; nothing (or nothing left) was changed. */
  public static final class ApplyException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ApplyException(String message) {
      super(message);
    }
  }

  private final NodeAccess access;
  private final Path journalDir;
  private final Clock clock;
  private final Listener listener;

  public ProfileApplier(NodeAccess access, Path journalDir, Clock clock, Listener listener) {
    this.access = access;
    this.journalDir = journalDir;
    this.clock = clock;
    this.listener = listener;
  }

  /** What is in force; closing it reverts. */
  public final class Applied implements AutoCloseable {
    private final Path journal;
    private final Journal data;
    private boolean reverted;

    private Applied(Path journal, Journal data) {
      this.journal = journal;
      this.data = data;
    }

    public Path journal() {
      return journal;
    }

    public List<JournalEntry> changes() {
      return data.entries();
    }

    /** Restores every previous value and removes the journal. */
    public synchronized List<String> revert() {
      if (reverted) {
        return List.of();
      }
      reverted = true;
      return ProfileApplier.revert(journal, access, listener);
    }

    @Override
    public void close() {
      revert();
    }
  }

  /** The changes {@code p} would make on this node, with current values; nothing is changed. */
  public List<JournalEntry> plan(Profile p) {
    List<String> problems = new ArrayList<>();
    List<JournalEntry> plan = new ArrayList<>();
    Map<String, Setting> hostKeys = new LinkedHashMap<>();
    Map<String, Setting> nodeKeys = new LinkedHashMap<>();
    for (Setting s : p.sysctl().values()) {
      (new Sysctl(s.key()).nodeWide() ? hostKeys : nodeKeys).put(s.key(), s);
    }
    planSysctls(access.host(), "", hostKeys, plan, problems);
    planSysctls(access.node(), access.nodeNamespace(), nodeKeys, plan, problems);
    if (!p.nic().isEmpty()) {
      List<String> devices = NicOps.devices(access.node());
      for (NicSettings n : p.nic()) {
        List<String> matched = devices.stream().filter(n::matches).toList();
        if (matched.isEmpty()) {
          problems.add(
              n.origin()
                  + ": nic match '"
                  + n.match()
                  + "' names no interface in "
                  + access.node().describe());
        }
        for (String dev : matched) {
          for (Map.Entry<NicSetting, String> e : n.settings().entrySet()) {
            String[] why = new String[1];
            Optional<String> cur = NicOps.read(access.node(), dev, e.getKey(), why);
            if (cur.isEmpty()) {
              problems.add(
                  n.origin()
                      + ": "
                      + dev
                      + " does not support "
                      + e.getKey()
                      + " ("
                      + why[0]
                      + ")");
            } else if (!NicOps.same(cur.get(), e.getValue())) {
              plan.add(
                  new JournalEntry(
                      JournalEntry.Kind.NIC,
                      access.nodeNamespace(),
                      dev,
                      e.getKey(),
                      cur.get(),
                      e.getValue()));
            }
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ApplyException(
          "profile "
              + p.name()
              + " cannot be applied, nothing was changed:\n  "
              + String.join("\n  ", problems));
    }
    return plan;
  }

  private static void planSysctls(
      NodeShell sh,
      String ns,
      Map<String, Setting> keys,
      List<JournalEntry> plan,
      List<String> problems) {
    if (keys.isEmpty()) {
      return;
    }
    List<String> paths = keys.keySet().stream().map(k -> new Sysctl(k).path()).toList();
    Map<String, FileRead> cur = sh.readFiles(paths);
    int i = 0;
    for (Setting s : keys.values()) {
      FileRead r = cur.get(paths.get(i++));
      if (!r.isOk()) {
        problems.add(
            s.origin()
                + ": sysctl "
                + s.key()
                + " does not exist in "
                + sh.describe()
                + " ("
                + r.error()
                + ")");
      } else if (!NicOps.same(r.content(), s.value())) {
        plan.add(
            new JournalEntry(
                JournalEntry.Kind.SYSCTL, ns, s.key(), null, r.content().strip(), s.value()));
      }
    }
  }

  /**
   * Applies {@code p}. Refuses while another journal is pending (a crashed run left values to
   * restore: they would be journalled as "previous" and never come back).
   *
   * @throws ApplyException if the profile cannot be applied; the node is as before
   */
  public Applied apply(Profile p) {
    List<Path> pending = Journal.pending(journalDir);
    if (!pending.isEmpty()) {
      Journal other = Journal.read(pending.get(0));
      if (other.liveOwner().isPresent()) {
        throw new ApplyException(
            "another kdensity process (pid "
                + other.pid()
                + ", profile "
                + other.profile()
                + ", since "
                + other.startedAt()
                + ") has tuned this node and is still running: wait for it to end — two runs on"
                + " one node change and measure each other's node-wide settings and tables");
      }
      throw new ApplyException(
          "a tuning journal is pending ("
              + pending.get(0)
              + "): a previous run did not restore its values; run `kdensity profile revert` first");
    }
    List<JournalEntry> plan = plan(p);
    Journal j =
        new Journal(
            p.name(),
            Instant.ofEpochMilli(clock.wallTime()).toString(),
            ProcessHandle.current().pid(),
            access.target(),
            plan);
    Path file = journalDir.resolve(p.name() + "-" + clock.wallTime() + ".journal.json");
    j.write(file);
    int i = 0;
    try {
      for (JournalEntry e : plan) {
        set(e, e.applied());
        listener.changed("apply", ++i, plan.size(), e);
      }
    } catch (RuntimeException ex) {
      List<String> left = revert(file, access, listener);
      throw new ApplyException(
          "profile "
              + p.name()
              + " failed at "
              + plan.get(i).describe()
              + ": "
              + ex.getMessage()
              + "; rolled back"
              + (left.isEmpty() ? "" : " except: " + String.join("; ", left)));
    }
    return new Applied(file, j);
  }

  private void set(JournalEntry e, String value) {
    NodeShell sh =
        access
            .namespace(e.namespace())
            .orElseThrow(() -> new ShellException("namespace " + e.namespace() + " is gone"));
    write(sh, e, value);
  }

  private static void write(NodeShell sh, JournalEntry e, String value) {
    if (e.kind() == JournalEntry.Kind.SYSCTL) {
      String path = new Sysctl(e.target()).path();
      sh.writeFile(path, value);
      String back = sh.readFile(path);
      if (!NicOps.same(back, value)) {
        throw new ShellException(
            e.target() + " reads back '" + back.strip() + "' after writing '" + value + "'");
      }
    } else {
      NicOps.write(sh, e.target(), e.setting(), value);
      String[] why = new String[1];
      Optional<String> back = NicOps.read(sh, e.target(), e.setting(), why);
      if (back.isEmpty() || !NicOps.same(back.get(), value)) {
        throw new ShellException(
            e.describe()
                + " reads back '"
                + back.orElse(why[0])
                + "' after writing '"
                + value
                + "'");
      }
    }
  }

  /**
   * Restores every value of a journal, last change first, and deletes the journal when all are
   * back. Values in namespaces that no longer exist are skipped (they went with the namespace).
   *
   * @return the values that could not be restored (empty when all are back)
   */
  public static List<String> revert(Path journal, NodeAccess access, Listener listener) {
    Journal j = Journal.read(journal);
    if (!j.target().equals(access.target())) {
      // never write one node's old values into another's kernel
      throw new ApplyException(
          "the journal "
              + journal
              + " holds values of "
              + j.target().describe()
              + ", not of "
              + access.target().describe()
              + ": nothing was restored");
    }
    List<String> failed = new ArrayList<>();
    List<JournalEntry> entries = new ArrayList<>(j.entries());
    Collections.reverse(entries);
    int i = 0;
    for (JournalEntry e : entries) {
      Optional<NodeShell> sh = access.namespace(e.namespace());
      i++;
      if (sh.isEmpty()) {
        continue;
      }
      try {
        write(sh.get(), e, e.previous());
        listener.changed("revert", i, entries.size(), e);
      } catch (RuntimeException ex) {
        failed.add(e.describe() + ": " + ex.getMessage());
      }
    }
    if (failed.isEmpty()) {
      try {
        Files.deleteIfExists(journal);
      } catch (IOException ex) {
        failed.add("cannot delete " + journal + ": " + ex.getMessage());
      }
    }
    return failed;
  }
}
