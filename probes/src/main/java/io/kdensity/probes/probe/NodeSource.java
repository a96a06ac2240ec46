package io.kdensity.probes.probe;

/**
 * A source of node figures that a target may not have (a tracefs instance on the local target,
 * nothing on a cluster): whether it measures, and if not, why, for the report's notes.
 */
public interface NodeSource {

  /** Whether it measures anything. */
  default boolean available() {
    return true;
  }

  /** Why it is not available, for the report. */
  default String why() {
    return "";
  }
}
