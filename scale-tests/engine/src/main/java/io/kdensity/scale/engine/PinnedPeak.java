package io.kdensity.scale.engine;

import io.kdensity.probes.neigh.NeighbourCensus;
import io.kdensity.probes.neigh.NeighbourProbe.Family;
import io.kdensity.probes.shell.NodeShell;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The most neighbour entries pinned at once while a step runs: a census of the machine ({@link
 * NeighbourCensus#machine}) one after the other on its own thread, from {@link #start} until {@link
 * #close}. A census of 100 namespaces takes about half a second here, so a peak shorter than that
 * can be missed: the figure is a lower bound.
 */
final class PinnedPeak implements AutoCloseable {
  /** Pause between two censuses, so that the sampling leaves the cores to the step. */
  static final Duration PAUSE = Duration.ofMillis(100);

  /** A step lasts minutes at most; the sampling stops on its own after this many censuses. */
  static final int MAX_SAMPLES = 5_000;

  private final NodeShell host;
  private final Map<Family, Long> peak = new ConcurrentHashMap<>();
  private final AtomicInteger samples = new AtomicInteger();
  private final Thread thread;
  private volatile boolean stop;
  private volatile String error = "";

  private PinnedPeak(NodeShell host) {
    this.host = host;
    this.thread = new Thread(this::sample, "kdensity-pinned-peak");
    thread.setDaemon(true);
  }

  static PinnedPeak start(NodeShell host) {
    PinnedPeak p = new PinnedPeak(host);
    p.thread.start();
    return p;
  }

  private void sample() {
    while (!stop && samples.get() < MAX_SAMPLES) {
      try {
        NeighbourCensus.machine(host).forEach((f, t) -> peak.merge(f, t.pinned(), Math::max));
        samples.incrementAndGet();
      } catch (RuntimeException e) {
        error = e.getMessage();
      }
      try {
        Thread.sleep(PAUSE.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** The most entries of the family pinned in one census; 0 before any. */
  long peak(Family f) {
    return peak.getOrDefault(f, 0L);
  }

  int samples() {
    return samples.get();
  }

  /** The last census's error, or "" if every one worked. */
  String error() {
    return error;
  }

  /** Stops after the census under way. */
  @Override
  public void close() {
    stop = true;
    try {
      thread.join(Duration.ofSeconds(30).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
