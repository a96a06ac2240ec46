package io.kdensity.probes.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Cumulative CPU time of this process and of its children, and the cores they share. Injected where
 * CPU is attributed to phases, so tests can give their own readings.
 */
public interface ProcessCpu {

  /**
   * CPU time (user + system) so far.
   *
   * @param self this process's threads
   * @param children the children this process has waited for, with the children they waited for
   *     (the kernel adds a child's times when it is reaped: a running child is not in it yet)
   */
  record Times(Duration self, Duration children) {
    /** What was spent between {@code earlier} and this reading. */
    public Times minus(Times earlier) {
      return new Times(self.minus(earlier.self), children.minus(earlier.children));
    }
  }

  Times read();

  /** Cores the process's work can run on. */
  int cores();

  /** This JVM, from {@code /proc/self/stat}. */
  ProcessCpu SELF =
      new ProcessCpu() {
        private final Path stat = Path.of("/proc/self/stat");

        @Override
        public Times read() {
          try {
            return ProcSelfStat.parse(Files.readString(stat), stat.toString());
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stat + ": " + e.getMessage(), e);
          }
        }

        @Override
        public int cores() {
          return Runtime.getRuntime().availableProcessors();
        }
      };
}
