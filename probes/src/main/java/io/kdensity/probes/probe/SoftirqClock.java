package io.kdensity.probes.probe;

/**
 * Where the NET_RX/NET_TX softirq time of the node comes from (a tracefs instance on the local
 * target). Each read returns the time spent since the previous read.
 */
public interface SoftirqClock {

  /** No packet softirq time is measured (a cluster node, or a kernel without tracefs). */
  SoftirqClock NONE =
      new SoftirqClock() {
        @Override
        public Reading read() {
          throw new UnsupportedOperationException("no softirq clock");
        }

        @Override
        public boolean available() {
          return false;
        }

        @Override
        public String why() {
          return "NET_RX/NET_TX time is not traced on this target";
        }
      };

  /** Whether {@link #read} measures anything. */
  default boolean available() {
    return true;
  }

  /** Why it is not available, for the report. */
  default String why() {
    return "";
  }

  /**
   * The packet softirqs' run time since the previous read.
   *
   * @throws io.kdensity.probes.shell.ShellException if the trace cannot be read
   */
  Reading read();

  /**
   * @param time the run time measured
   * @param lostEvents events the trace buffer overwrote: above 0 the time is an underestimate
   */
  record Reading(SoftirqTime time, long lostEvents) {}
}
