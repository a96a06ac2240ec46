package io.kdensity.probes.probe;

/**
 * A probe could not produce a result (tool missing, file missing, unexpected format). The message
 * names the command or file and the offending line.
 */
public record ProbeError(String probe, String message) {
  @Override
  public String toString() {
    return probe + ": " + message;
  }
}
