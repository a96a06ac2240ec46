package io.kdensity.probes.probe;

import java.util.List;

/**
 * Facts about the node's hardware and kernel that probes and reports need.
 *
 * @param hostname node name
 * @param kernel kernel release
 * @param cpuModel CPU model name
 * @param logicalCpus online logical CPUs
 * @param cpuMaxHz maximum (or nominal) CPU frequency in Hz, 0 if unknown
 * @param nics physical NICs as {@code name (driver)}
 */
public record NodeFacts(
    String hostname,
    String kernel,
    String cpuModel,
    int logicalCpus,
    long cpuMaxHz,
    List<String> nics) {
  public NodeFacts {
    nics = List.copyOf(nics);
  }

  public static final NodeFacts UNKNOWN = new NodeFacts("?", "?", "?", 0, 0, List.of());
}
