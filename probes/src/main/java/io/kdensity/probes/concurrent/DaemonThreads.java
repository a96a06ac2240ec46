package io.kdensity.probes.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads that never keep the JVM alive, named {@code <prefix>-<n>} so a thread dump says whose
 * they are: every pool of kdensity's waits on processes, the API server or the kernel, and a run's
 * end (or Ctrl-C) must not wait for them.
 */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A factory of daemon threads named {@code prefix-1}, {@code prefix-2}, … */
  public static ThreadFactory named(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
