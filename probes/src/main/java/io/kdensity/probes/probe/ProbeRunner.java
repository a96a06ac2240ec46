package io.kdensity.probes.probe;

import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.shell.ShellException;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Runs every probe of a registry over a scope, in parallel, and keeps going when one fails: a probe
 * whose tool is missing or whose input has an unexpected format yields a {@link ProbeError} and the
 * others still report.
 */
public final class ProbeRunner implements AutoCloseable {
  private final ProbeRegistry registry;
  private final Clock clock;
  private final ExecutorService executor;

  /**
   * @param parallelism threads for probes and their per-pod fan-out; process starts, not CPU, are
   *     the cost, so more threads than cores help
   */
  public ProbeRunner(ProbeRegistry registry, Clock clock, int parallelism) {
    this.registry = registry;
    this.clock = clock;
    this.executor =
        Executors.newFixedThreadPool(Math.max(2, parallelism), DaemonThreads.named("kd-probe"));
  }

  public ProbeRegistry registry() {
    return registry;
  }

  /** Takes a snapshot with every probe. */
  public Sweep snapshot(ProbeScope scope) {
    Instant start = Instant.ofEpochMilli(clock.wallTime());
    long t0 = clock.monotonicTime();
    ProbeContext ctx = new ProbeContext(scope, executor, clock);
    Map<String, CompletableFuture<Object>> futures = new LinkedHashMap<>();
    for (Probe<?> p : registry.probes()) {
      futures.put(p.name(), CompletableFuture.supplyAsync(() -> p.snapshot(ctx), executor));
    }
    Map<String, Object> snapshots = new LinkedHashMap<>();
    List<ProbeError> errors = new ArrayList<>();
    futures.forEach(
        (name, f) -> {
          try {
            snapshots.put(name, f.join());
          } catch (CompletionException e) {
            errors.add(new ProbeError(name, describe(e.getCause())));
          }
        });
    return new Sweep(start, Duration.ofNanos(clock.monotonicTime() - t0), snapshots, errors);
  }

  /**
   * Compares two sweeps. Probes missing from either sweep are reported as errors (the error of the
   * sweep that lacks them).
   */
  public StepProbes evaluate(Sweep before, Sweep after, ProbeScope scope) {
    ProbeContext ctx = new ProbeContext(scope, executor, clock);
    List<ProbeResult> results = new ArrayList<>();
    List<ProbeError> errors = new ArrayList<>();
    for (Probe<?> p : registry.probes()) {
      Object b = before.snapshots().get(p.name());
      Object a = after.snapshots().get(p.name());
      if (b == null || a == null) {
        errorOf(b == null ? before : after, p.name()).ifPresent(errors::add);
        continue;
      }
      try {
        results.add(evaluate(p, b, a, ctx));
      } catch (RuntimeException e) {
        errors.add(new ProbeError(p.name(), describe(e)));
      }
    }
    return new StepProbes(corroborated(results), errors);
  }

  /** Every finding with the evidence the other probes hold for it ({@link Probe#evidenceFor}). */
  private List<ProbeResult> corroborated(List<ProbeResult> results) {
    Map<String, Probe<?>> byName = new LinkedHashMap<>();
    registry.probes().forEach(p -> byName.put(p.name(), p));
    List<ProbeResult> out = new ArrayList<>();
    for (ProbeResult r : results) {
      List<Finding> findings = new ArrayList<>();
      for (Finding f : r.findings()) {
        Finding g = f;
        for (ProbeResult other : results) {
          if (!other.probe().equals(r.probe())) {
            g = g.withMoreEvidence(byName.get(other.probe()).evidenceFor(f, other));
          }
        }
        findings.add(g);
      }
      out.add(new ProbeResult(r.probe(), r.metrics(), findings, r.snapshot(), r.notes()));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static <S> ProbeResult evaluate(
      Probe<S> p, Object before, Object after, ProbeContext ctx) {
    ProbeResult found = p.evaluate((S) before, (S) after, ctx);
    ProbeResult r =
        new ProbeResult(
            found.probe(),
            found.metrics(),
            found.findings().stream().map(f -> f.from(p.name())).toList(),
            found.snapshot(),
            found.notes());
    Set<String> declared = p.metrics().stream().map(Metric::name).collect(Collectors.toSet());
    for (String name : r.metrics().keySet()) {
      if (!declared.contains(name)) {
        throw new IllegalStateException(
            "probe '" + p.name() + "' emitted metric '" + name + "' it does not declare");
      }
    }
    return r;
  }

  private static Optional<ProbeError> errorOf(Sweep sweep, String probe) {
    return sweep.errors().stream()
        .filter(e -> e.probe().equals(probe))
        .findFirst()
        .or(() -> Optional.of(new ProbeError(probe, "no snapshot")));
  }

  private static String describe(Throwable t) {
    if (t instanceof ShellException || t instanceof ParseException) {
      return t.getMessage();
    }
    return t.getClass().getSimpleName() + ": " + t.getMessage();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
