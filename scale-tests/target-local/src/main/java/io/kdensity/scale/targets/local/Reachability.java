package io.kdensity.scale.targets.local;

import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.concurrent.Completions;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.probes.reach.Fping;
import io.kdensity.probes.reach.FpingParser;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.RunningProcess;
import io.kdensity.scale.plan.Traffic;
import io.kdensity.scale.targets.InfrastructureException;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

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

  /**
   * An answer of a timed sweep.
   *
   * @param address canonical
   * @param readAt when kdensity read fping's line, the run clock's monotonic nanoseconds
   * @param rttNanos fping's round trip of the answered request (after retries, the latest one's)
   * @param firstSentAt when fping sent the address its first request: the answered request's send
   *     (read less round trip) when that was the first, else fping's schedule ({@link #fpingTimed})
   */
  record Timed(String address, long readAt, long rttNanos, long firstSentAt) {
    /** From the first request to the first answer. */
    long sinceFirstRequest() {
      return readAt - firstSentAt;
    }
  }

  /**
   * Every sweep at once, like {@link #sweep(List, Traffic)}, with each answer's line stamped by
   * {@code clock} as fping prints it (fping writes each line as the answer arrives).
   */
  Map<String, Boolean> sweepTimed(
      List<Sweep> sweeps, Traffic t, Clock clock, Consumer<Timed> answers) {
    return sweep(sweeps, pool, (from, targets) -> fpingTimed(from, targets, t, clock, answers));
  }

  /** One fping run over one namespace's targets of one family. */
  private interface Pinger {
    Map<String, Boolean> ping(NodeShell from, List<String> targets);
  }

  private static Map<String, Boolean> sweep(List<Sweep> sweeps, Traffic t, Executor on) {
    return sweep(sweeps, on, (from, targets) -> fping(from, targets, t));
  }

  private static Map<String, Boolean> sweep(List<Sweep> sweeps, Executor on, Pinger pinger) {
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
                      pinger
                          .ping(s.from(), targets)
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
    requireRan(r.exitCode(), r.firstErrorLine(), from);
    return FpingParser.parse(r.stdout(), c.display() + " in " + from.describe());
  }

  /** fping exits 1 when some targets are unreachable; 2 and above are real errors. */
  private static void requireRan(int exit, String firstErrorLine, NodeShell from) {
    if (exit > 1) {
      throw new InfrastructureException(
          "fping failed in " + from.describe() + ": " + firstErrorLine);
    }
  }

  /**
   * {@link #fping} read line by line as fping prints, each answer stamped when read. fping is
   * bounded by its own retries and timeouts; the command's budget stops one that hangs.
   *
   * <p>fping sends each target its first request in the order given, one every {@code interval},
   * and a retry {@code timeout} (then 1.5 times longer each) after an unanswered one, and reports
   * the round trip of the request that was answered. So an answer whose request left more than half
   * a timeout after the target's place in the first round was a retry's, and its first request left
   * at that place: the first round's start is the earliest answered request's send less its place.
   */
  static Map<String, Boolean> fpingTimed(
      NodeShell from, List<String> targets, Traffic t, Clock clock, Consumer<Timed> answers) {
    Command c = Fping.sweep(targets, t.pingRetries(), t.pingTimeout(), t.pingInterval());
    StringBuilder out = new StringBuilder();
    List<FpingParser.Answer> read = new ArrayList<>();
    List<Long> readAt = new ArrayList<>();
    try (RunningProcess p = from.start(c)) {
      CompletableFuture<Void> budget =
          CompletableFuture.runAsync(
              p::close,
              CompletableFuture.delayedExecutor(c.timeout().toMillis(), TimeUnit.MILLISECONDS));
      try {
        String line;
        while ((line = p.readLine()) != null) {
          long at = clock.monotonicTime();
          out.append(line).append('\n');
          FpingParser.answer(line)
              .ifPresent(
                  a -> {
                    read.add(a);
                    readAt.add(at);
                  });
        }
        if (budget.isDone() || !p.waitFor(Duration.ofSeconds(5))) {
          throw new InfrastructureException(
              "`" + c.display() + "` in " + from.describe() + " did not end within " + c.timeout());
        }
      } finally {
        budget.cancel(false);
      }
      int exit = p.exitCode();
      requireRan(
          exit,
          p.stderr().lines().filter(l -> !l.isBlank()).findFirst().orElse("exit " + exit),
          from);
    }
    Map<String, Boolean> alive =
        FpingParser.parse(out.toString(), c.display() + " in " + from.describe());
    firstRequests(targets, read, readAt, t.pingInterval(), t.pingTimeout()).forEach(answers);
    return alive;
  }

  /**
   * Each answer with its first request's send ({@link #fpingTimed}'s rule).
   *
   * @param targets in the order fping was given them
   * @param answers fping's answer lines, in the order read
   * @param readAt when each was read
   */
  static List<Timed> firstRequests(
      List<String> targets,
      List<FpingParser.Answer> answers,
      List<Long> readAt,
      Duration interval,
      Duration timeout) {
    Map<String, Integer> place = new HashMap<>();
    for (int k = 0; k < targets.size(); k++) {
      place.putIfAbsent(Addresses.canonical(targets.get(k)), k);
    }
    long step = interval.toNanos();
    long start = Long.MAX_VALUE;
    for (int j = 0; j < answers.size(); j++) {
      Integer k = place.get(answers.get(j).address());
      if (k != null) {
        start = Math.min(start, readAt.get(j) - answers.get(j).rttNanos() - k * step);
      }
    }
    List<Timed> out = new ArrayList<>();
    for (int j = 0; j < answers.size(); j++) {
      FpingParser.Answer a = answers.get(j);
      Integer k = place.get(a.address());
      if (k == null) {
        continue; // not one of the targets: fping reports what it was given
      }
      long sent = readAt.get(j) - a.rttNanos();
      long scheduled = start + k * step;
      long first = sent - scheduled > timeout.toNanos() / 2 ? scheduled : sent;
      out.add(new Timed(a.address(), readAt.get(j), a.rttNanos(), first));
    }
    return out;
  }
}
