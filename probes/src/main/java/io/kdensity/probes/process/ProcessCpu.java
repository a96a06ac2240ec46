package io.kdensity.probes.process;

import io.kdensity.probes.cpu.CpuTimes;
import io.kdensity.probes.cpu.ProcStatParser;
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
   * @param machineIdle the time all CPUs of the machine were idle ({@code /proc/stat} idle +
   *     iowait): what is left of the cores' time after this process, its children, the kernel's
   *     threads and everything else
   */
  record Times(Duration self, Duration children, Duration machineIdle) {
    /** What was spent between {@code earlier} and this reading. */
    public Times minus(Times earlier) {
      return new Times(
          self.minus(earlier.self),
          children.minus(earlier.children),
          machineIdle.minus(earlier.machineIdle));
    }
  }

  Times read();

  /** Cores the process's work can run on. */
  int cores();

  /** This JVM, from {@code /proc/self/stat}, on this machine ({@code /proc/stat}). */
  ProcessCpu SELF =
      new ProcessCpu() {
        private final Path self = Path.of("/proc/self/stat");
        private final Path machine = Path.of("/proc/stat");

        @Override
        public Times read() {
          ProcSelfStat.Own own = ProcSelfStat.parse(read(self), self.toString());
          CpuTimes all = ProcStatParser.parse(read(machine), machine.toString()).get(0);
          return new Times(
              own.self(), own.children(), ProcSelfStat.ticks(all.idle() + all.iowait()));
        }

        private static String read(Path p) {
          try {
            return Files.readString(p);
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
          }
        }

        @Override
        public int cores() {
          return Runtime.getRuntime().availableProcessors();
        }
      };
}
