package io.kdensity.probes.fdb;

import java.util.List;

/**
 * One forwarding database entry as {@code bridge -j fdb show} prints it.
 *
 * @param mac the MAC address
 * @param ifname the port (or device, for {@code self} entries)
 * @param master the bridge, or {@code null} for entries of a device's own address list
 * @param state {@code ""} (dynamic), {@code stale}, {@code permanent}, {@code static}
 * @param flags e.g. {@code self}, {@code extern_learn}, {@code offload}
 * @param vlan VLAN id, or 0
 */
public record FdbEntry(
    String mac, String ifname, String master, String state, List<String> flags, int vlan) {
  public FdbEntry {
    state = state == null ? "" : state;
    flags = List.copyOf(flags);
  }

  /** Learned by the bridge from traffic (not the bridge's own or a configured static entry). */
  public boolean learned() {
    return master != null && !flags.contains("self") && (state.isEmpty() || state.equals("stale"));
  }
}
