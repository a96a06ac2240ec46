package io.kdensity.scale.targets.local;

import io.kdensity.probes.concurrent.Completions;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.probes.reach.Fping;
import io.kdensity.probes.reach.FpingParser;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.targets.InfrastructureException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Pings every pod address once (plus retries) from the namespace that holds its gateway, with one
 * {@code fping} process per gateway and address family. Each pod resolves its gateway and the
 * gateway resolves each pod, so neighbour tables and the switch's MAC table fill as on a live node.
 * With peers, each pod also pings its peers from its own namespace. Bounded: at most {@code 1 +
 * retries} echo requests per address and pinger.
 */
final class Reachability {
  /** Sweeps wait on fping processes, not on CPU: one thread per sweep, not the common pool. */
  private final ExecutorService pool =
      Executors.newCachedThreadPool(DaemonThreads.named("kd-fping"));

  /** One sweep: the namespace that holds the gateway and the addresses behind it. */
  record Sweep(NodeShell from, List<String> targets) {}

  /** Every sweep at once: one per gateway, a handful. */
  Map<String, Boolean> sweep(List<Sweep> sweeps, Traffic t) {
    return sweep(sweeps, t, pool);
  }

  /**
   * At most {@code parallel} fping processes at a time: one sweep per pod for peers. An address
   * pinged from several namespaces counts as answered only if it answered every one.
   */
  Map<String, Boolean> sweep(List<Sweep> sweeps, Traffic t, int parallel) {
    ExecutorService bounded =
        Executors.newFixedThreadPool(Math.max(1, parallel), DaemonThreads.named("kd-fping-peers"));
    try {
      return sweep(sweeps, t, bounded);
    } finally {
      bounded.shutdownNow();
    }
  }

  private static Map<String, Boolean> sweep(List<Sweep> sweeps, Traffic t, Executor on) {
    Map<String, Boolean> out = new ConcurrentHashMap<>();
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    for (Sweep s : sweeps) {
      List<String> v6 = s.targets().stream().filter(a -> a.contains(":")).toList();
      List<String> v4 = s.targets().stream().filter(a -> !a.contains(":")).toList();
      for (List<String> targets : List.of(v6, v4)) {
        if (!targets.isEmpty()) {
          runs.add(
              CompletableFuture.runAsync(
                  () ->
                      fping(s.from(), targets, t)
                          .forEach((a, ok) -> out.merge(a, ok, Boolean::logicalAnd)),
                  on));
        }
      }
    }
    Completions.join(CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)));
    return out;
  }

  static Map<String, Boolean> fping(NodeShell from, List<String> targets, Traffic t) {
    Command c = Fping.sweep(targets, t.pingRetries(), t.pingTimeout(), t.pingInterval());
    CommandResult r = from.run(c);
    // fping exits 1 when some targets are unreachable; 2 and above are real errors
    if (r.exitCode() > 1) {
      throw new InfrastructureException(
          "fping failed in " + from.describe() + ": " + r.firstErrorLine());
    }
    return FpingParser.parse(r.stdout(), c.display() + " in " + from.describe());
  }
}
