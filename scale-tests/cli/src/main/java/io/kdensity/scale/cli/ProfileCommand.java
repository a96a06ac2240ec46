package io.kdensity.scale.cli;

import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.sysctl.Sysctl;
import io.kdensity.scale.run.UserPaths;
import io.kdensity.scale.targets.kube.JournalNodes;
import io.kdensity.tuning.apply.Journal;
import io.kdensity.tuning.apply.JournalEntry;
import io.kdensity.tuning.apply.LocalNodeAccess;
import io.kdensity.tuning.apply.NodeAccess;
import io.kdensity.tuning.apply.ProfileApplier;
import io.kdensity.tuning.export.ProfileExporter;
import io.kdensity.tuning.profile.Profile;
import io.kdensity.tuning.profile.ProfileLoader;
import io.kdensity.tuning.profile.Setting;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kdensity profile}: show, diff, apply, revert and export tuning profiles. */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description =
        "Tuning profiles: list, show, diff (node vs profile), apply (journalled), revert (after a crash), export.",
    subcommands = {
      ProfileCommand.ListCmd.class,
      ProfileCommand.Show.class,
      ProfileCommand.Diff.class,
      ProfileCommand.Apply.class,
      ProfileCommand.Revert.class,
      ProfileCommand.Export.class
    })
public final class ProfileCommand implements Runnable {
  @Override
  public void run() {
    picocli.CommandLine.usage(this, System.out);
  }

  abstract static class Base {
    @Option(
        names = "--profile-dir",
        description = "Folders with profiles. Default: ${DEFAULT-VALUE}",
        defaultValue = "${sys:kdensity.home:-.}/tuning-profiles/profiles",
        split = ":")
    List<Path> dirs;

    @Option(
        names = "--journal-dir",
        description =
            "Where journals are kept. Default: $KDENSITY_JOURNAL_DIR or /var/lib/kdensity/journal")
    Path journalDir;

    ProfileLoader loader() {
      return new ProfileLoader(dirs);
    }

    /** A profile by name, or from a file the user named relative to their directory. */
    Profile load(String nameOrPath) {
      return loader().load(UserPaths.resolveProfile(nameOrPath));
    }

    Path journals() {
      return journalDir != null ? journalDir : Journal.defaultDir();
    }

    /** Node-wide settings only: per-namespace settings belong to a run's emulated node. */
    static NodeAccess hostOnly() {
      return new LocalNodeAccess(new LocalShell(), "");
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "Profiles found in the profile folders and built in.")
  static final class ListCmd extends Base implements Callable<Integer> {
    @Override
    public Integer call() {
      loader().available().forEach(System.out::println);
      return 0;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Every value of a profile (inheritance resolved) with its reason and origin.")
  static final class Show extends Base implements Callable<Integer> {
    @Parameters(paramLabel = "PROFILE")
    String name;

    @Override
    public Integer call() {
      Profile p = load(name);
      System.out.println(
          p.name()
              + (p.parents().isEmpty() ? "" : " (extends " + String.join(" → ", p.parents()) + ")")
              + ": "
              + p.description());
      print("sysctl", p.sysctl().values());
      print("podSysctl", p.podSysctl().values());
      p.nic()
          .forEach(
              n ->
                  System.out.println(
                      "nic "
                          + n.match()
                          + ": "
                          + n.settings()
                          + (n.reason().isEmpty() ? "" : "  # " + n.reason())));
      print("advisory (not applied)", p.advisory().values());
      return 0;
    }

    private static void print(String title, Collection<Setting> s) {
      if (s.isEmpty()) {
        return;
      }
      System.out.println(title + ":");
      s.forEach(
          v ->
              System.out.printf(
                  "  %-45s %-24s %s%n",
                  v.key(), v.value(), v.reason().isEmpty() ? "" : "# " + v.reason()));
    }
  }

  @Command(
      name = "diff",
      mixinStandardHelpOptions = true,
      description = "What applying a profile would change on this node (node-wide sysctls).")
  static final class Diff extends Base implements Callable<Integer> {
    @Parameters(paramLabel = "PROFILE")
    String name;

    @Override
    public Integer call() {
      Profile p = load(name);
      Profile nodeWide = nodeWide(p);
      List<JournalEntry> plan =
          new ProfileApplier(hostOnly(), journals(), Clock.SYSTEM, ProfileApplier.Listener.NONE)
              .plan(nodeWide);
      if (plan.isEmpty()) {
        System.out.println("the node already matches " + p.name());
      }
      plan.forEach(
          e ->
              System.out.printf(
                  "  %-45s node %-24s profile %s%n", e.target(), e.previous(), e.applied()));
      int skipped =
          p.sysctl().size() - nodeWide.sysctl().size() + p.podSysctl().size() + p.nic().size();
      if (skipped > 0) {
        System.out.println(
            "("
                + skipped
                + " per-namespace, pod or NIC settings apply inside a run's emulated node, not to this host)");
      }
      return 0;
    }
  }

  /**
   * The node-wide sysctls of a profile: outside a run there is no emulated node, so per-namespace,
   * pod and NIC settings must not reach the host's own namespace.
   */
  static Profile nodeWide(Profile p) {
    return new Profile(
        p.name(),
        p.description(),
        p.parents(),
        nodeWideOnly(p),
        Map.of(),
        List.of(),
        p.advisory(),
        p.source());
  }

  static Map<String, Setting> nodeWideOnly(Profile p) {
    Map<String, Setting> m = new LinkedHashMap<>();
    p.sysctl()
        .forEach(
            (k, v) -> {
              if (new Sysctl(k).nodeWide()) {
                m.put(k, v);
              }
            });
    return m;
  }

  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description =
          "Apply a profile's node-wide sysctls to this node, journalled; undo with `profile revert`.")
  static final class Apply extends Base implements Callable<Integer> {
    @Parameters(paramLabel = "PROFILE")
    String name;

    @Override
    public Integer call() {
      Profile p = load(name);
      Profile nodeWide = nodeWide(p);
      ProfileApplier.Applied a =
          new ProfileApplier(
                  hostOnly(),
                  journals(),
                  Clock.SYSTEM,
                  (ph, i, n, e) ->
                      System.out.printf(
                          "  %s %d/%d %s: %s → %s%n",
                          ph, i, n, e.describe(), e.previous(), e.applied()))
              .apply(nodeWide);
      System.out.println(
          "applied "
              + a.changes().size()
              + " values; journal "
              + a.journal()
              + "; undo with `kdensity profile revert`");
      return 0;
    }
  }

  @Command(
      name = "revert",
      mixinStandardHelpOptions = true,
      description = "Restore every value journalled by an apply or a crashed run.")
  static final class Revert extends Base implements Callable<Integer> {
    @Option(names = "--journal", description = "One journal file (default: every pending journal).")
    Path journal;

    @Option(
        names = "--force",
        description =
            "Also revert journals of a kdensity process that is still running (its run then"
                + " continues at the restored values).")
    boolean force;

    /** How the node a journal names is reached (a fake cluster in tests). */
    JournalNodes nodes = JournalNodes.DEFAULT;

    @Override
    public Integer call() {
      List<Path> js = journal != null ? List.of(journal) : Journal.pending(journals());
      if (js.isEmpty()) {
        System.out.println("nothing to revert: no pending journal in " + journals());
        return 0;
      }
      JournalRestorer.Outcome o =
          new JournalRestorer(nodes, System.out, System.err).restore(js, t -> true, force);
      return o.failed() == 0 && o.leftAlone() == 0 ? 0 : ExitCodes.INFRASTRUCTURE;
    }
  }

  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Print a profile as a sysctl.d drop-in, a TuneD profile or an OpenShift NTO Tuned CR.")
  static final class Export extends Base implements Callable<Integer> {
    @Parameters(paramLabel = "PROFILE")
    String name;

    @Option(
        names = "--format",
        description = "sysctl-d, tuned or nto. Default: ${DEFAULT-VALUE}",
        defaultValue = "sysctl-d")
    String format;

    @Override
    public Integer call() {
      ProfileExporter.Format f =
          switch (format) {
            case "sysctl-d" -> ProfileExporter.Format.SYSCTL_D;
            case "tuned" -> ProfileExporter.Format.TUNED;
            case "nto" -> ProfileExporter.Format.NTO;
            default ->
                throw new UsageError(
                    "--format must be sysctl-d, tuned or nto, found '" + format + "'");
          };
      System.out.print(ProfileExporter.export(load(name), f));
      return 0;
    }
  }
}
