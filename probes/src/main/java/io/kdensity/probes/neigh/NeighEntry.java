package io.kdensity.probes.neigh;

import java.util.List;

/**
 * One neighbour entry as {@code ip -j neigh} prints it.
 *
 * @param dst the neighbour's IP address
 * @param dev the interface
 * @param lladdr its MAC address, or {@code null} while unresolved
 * @param state NUD states, e.g. REACHABLE, STALE, FAILED, INCOMPLETE, PERMANENT
 */
public record NeighEntry(String dst, String dev, String lladdr, List<String> state) {
  public NeighEntry {
    state = List.copyOf(state);
  }

  public boolean failed() {
    return state.contains("FAILED") || state.contains("INCOMPLETE");
  }
}
