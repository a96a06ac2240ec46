package io.kdensity.scale.engine;

import java.io.PrintStream;
import java.time.Duration;

/** One line per phase and step on the terminal: step, pods × interfaces, elapsed, ETA, findings. */
public interface Progress {
  Progress SILENT =
      new Progress() {
        @Override
        public void phase(String text) {}

        @Override
        public void step(String text) {}
      };

  /** A phase inside a step ("scaling to 400 pods"). */
  void phase(String text);

  /** A finished step. */
  void step(String text);

  /** Prints to a stream (normally stderr, so stdout stays machine-readable). */
  static Progress to(PrintStream out) {
    return new Progress() {
      @Override
      public void phase(String text) {
        out.println("[kdensity]   " + text);
        out.flush();
      }

      @Override
      public void step(String text) {
        out.println("[kdensity] " + text);
        out.flush();
      }
    };
  }

  public static String clock(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return String.format("%02d:%02d", s / 60, s % 60);
  }
}
