package io.kdensity.scale.engine;

import io.kdensity.probes.process.ProcessCpu;
import java.time.Duration;

/**
 * CPU readings a test scripts: the JVM's own time grows by {@code selfPerRead} at every reading
 * (the harness working between phases), children's and the machine's idle time by what the fake
 * target's work adds.
 */
final class FakeCpu implements ProcessCpu {
  private final int cores;
  private final Duration selfPerRead;
  private Duration self = Duration.ZERO;
  private Duration children = Duration.ZERO;
  private Duration idle = Duration.ZERO;

  FakeCpu(int cores, Duration selfPerRead) {
    this.cores = cores;
    this.selfPerRead = selfPerRead;
  }

  /** A child process finished and was reaped, having spent {@code cpu}. */
  void childSpent(Duration cpu) {
    children = children.plus(cpu);
  }

  /** The machine's cores idled for {@code d} in all. */
  void idled(Duration d) {
    idle = idle.plus(d);
  }

  @Override
  public Times read() {
    self = self.plus(selfPerRead);
    return new Times(self, children, idle);
  }

  @Override
  public int cores() {
    return cores;
  }
}
