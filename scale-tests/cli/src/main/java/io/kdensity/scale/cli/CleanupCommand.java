package io.kdensity.scale.cli;

import io.kdensity.probes.shell.LocalShell;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.targets.kube.JournalNodes;
import io.kdensity.scale.targets.kube.KubeCleanup;
import io.kdensity.scale.targets.kube.KubeTargets;
import io.kdensity.scale.targets.local.LocalCleanup;
import io.kdensity.scale.targets.local.LocalLiveness;
import io.kdensity.scale.targets.local.NodeLock;
import io.kdensity.tuning.apply.Journal;
import io.kdensity.tuning.apply.JournalTarget;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code kdensity cleanup}: brings a node back after crashed runs — removes what they left and
 * restores the values their profiles changed — and never touches a live run unless forced.
 */
@Command(
    name = "cleanup",
    mixinStandardHelpOptions = true,
    description = {
      "Bring the node back after crashed local runs: remove the processes in their kd-<runid>-*"
          + " namespaces, those namespaces, their kd-<runid>-* links and trace instances, then"
          + " restore the values their profiles changed (pending journals).",
      "A live run (it holds the node lock, or its owner process lives) is left alone unless"
          + " --force. Touches nothing kdensity did not name. Waits until the kernel has freed"
          + " the namespaces.",
      "With --kube: delete the cluster's kdensity namespaces whose run is gone (its lease not"
          + " renewed for a minute), then restore the pending journals of cluster nodes."
    })
public final class CleanupCommand implements Callable<Integer> {
  @Option(names = "--run", description = "Only this run id (6 characters).")
  String run;

  @Option(
      names = "--force",
      description = "Also remove live runs and revert their journals (they then fail).")
  boolean force;

  @Option(
      names = "--kube",
      description =
          "Clean a cluster instead: kdensity namespaces (label app.kubernetes.io/managed-by=kdensity) of runs that are gone.")
  boolean kube;

  @Option(names = "--context", description = "kubeconfig context (with --kube).")
  String context;

  @Option(names = "--kubeconfig", description = "kubeconfig file (with --kube).")
  String kubeconfig;

  @Option(
      names = "--journal-dir",
      description =
          "Where journals are kept. Default: $KDENSITY_JOURNAL_DIR or /var/lib/kdensity/journal")
  Path journalDir;

  /** How the node a journal names is reached (a fake cluster in tests). */
  JournalNodes nodes = JournalNodes.DEFAULT;

  /** The cleanup's wall clock, against which cluster leases are judged. */
  Clock clock = Clock.SYSTEM;

  @Override
  public Integer call() {
    return kube ? cleanCluster() : cleanNode();
  }

  private int cleanNode() {
    Path runDir = NodeLock.defaultDir();
    NodeLock lock = null;
    NodeLock.NodeBusyException busy = null;
    try {
      lock = NodeLock.acquire(runDir, NodeLock.Holder.cleanup(now()));
    } catch (NodeLock.NodeBusyException e) {
      if (e.holder() != null && !e.holder().isRun()) {
        System.err.println("kdensity: " + e.getMessage());
        return ExitCodes.INFRASTRUCTURE;
      }
      busy = e;
    }
    try {
      LocalCleanup cleanup = new LocalCleanup(new LocalShell(), runDir);
      LocalLiveness liveness = new LocalLiveness(busy, cleanup::ownerAlive);
      Set<String> present = run == null ? cleanup.runsPresent() : Set.of(run);
      Set<String> remove = new LinkedHashSet<>();
      int refused = 0;
      for (String id : present) {
        var alive = liveness.aliveBecause(id);
        if (alive.isPresent() && !force) {
          System.out.println("left run " + id + " alone: " + alive.get() + "; --force removes it");
          refused += run != null ? 1 : 0;
        } else {
          remove.add(id);
        }
      }
      LocalCleanup.Report r = cleanup.remove(remove);
      System.out.printf(
          "removed %d namespaces, %d links, killed %d processes%n",
          r.namespaces().size(), r.links().size(), r.processes());
      r.namespaces().stream().sorted().limit(10).forEach(n -> System.out.println("  netns " + n));
      if (r.namespaces().size() > 10) {
        System.out.println("  … and " + (r.namespaces().size() - 10) + " more");
      }
      r.links().forEach(n -> System.out.println("  link " + n));
      r.traceInstances().forEach(n -> System.out.println("  trace instance " + n));
      JournalRestorer.Outcome o = restoreJournals(t -> t.kind() == JournalTarget.Kind.LOCAL);
      return refused == 0 && o.failed() == 0 ? ExitCodes.PASSED : ExitCodes.INFRASTRUCTURE;
    } finally {
      if (lock != null) {
        lock.close();
      }
    }
  }

  private int cleanCluster() {
    TargetSpec.Kube spec = TargetSpec.Kube.reaching(kubeconfig, context);
    int refused = 0;
    try (var client = KubeTargets.client(spec)) {
      List<KubeCleanup.RunNamespace> found = KubeCleanup.find(client, now(), run);
      int removed = 0;
      for (KubeCleanup.RunNamespace n : found) {
        if (n.aliveBecause().isPresent() && !force) {
          System.out.println(
              "left namespace "
                  + n.name()
                  + " alone: "
                  + n.aliveBecause().get()
                  + "; --force removes it");
          refused += run != null ? 1 : 0;
          continue;
        }
        KubeCleanup.remove(client, n, Duration.ofMinutes(10));
        removed++;
        System.out.println("  namespace " + n.name());
      }
      System.out.printf("removed %d kdensity namespaces%n", removed);
    }
    JournalRestorer.Outcome o = restoreJournals(t -> t.kind() == JournalTarget.Kind.CLUSTER);
    return refused == 0 && o.failed() == 0 ? ExitCodes.PASSED : ExitCodes.INFRASTRUCTURE;
  }

  /** Restores the pending journals of the targets this cleanup reaches. */
  private JournalRestorer.Outcome restoreJournals(Predicate<JournalTarget> reaches) {
    Path dir = journalDir != null ? journalDir : Journal.defaultDir();
    List<Path> pending = Journal.pending(dir);
    if (pending.isEmpty()) {
      System.out.println("no pending journal in " + dir + ": no profile left applied");
      return new JournalRestorer.Outcome(0, 0, 0);
    }
    return new JournalRestorer(nodes, System.out, System.err).restore(pending, reaches, force);
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.wallTime());
  }
}
