package io.kdensity.probes.probe;

/**
 * Where the NET_RX/NET_TX softirq time of the node comes from (a tracefs instance on the local
 * target). Each read returns the time spent since the previous read.
 */
public interface SoftirqClock extends NodeSource {

  /** No packet softirq time is measured (a cluster node, or a kernel without tracefs). */
  SoftirqClock NONE = unavailable("NET_RX/NET_TX time is not traced on this target");

  /** A clock that measures nothing, for the reason given (shown in the report's notes). */
  static SoftirqClock unavailable(String why) {
    return new SoftirqClock() {
      @Override
      public Reading read() {
        throw new UnsupportedOperationException(why);
      }

      @Override
      public boolean available() {
        return false;
      }

      @Override
      public String why() {
        return why;
      }
    };
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
