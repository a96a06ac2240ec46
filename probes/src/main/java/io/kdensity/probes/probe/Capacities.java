package io.kdensity.probes.probe;

import java.util.Objects;

/**
 * Declared limits of hardware kdensity cannot see: the top-of-rack switch's MAC table, the NIC's
 * unicast filter, the bridge port limit.
 *
 * @param switchMacTable learned MAC addresses the switch (or a bridge playing it) may hold
 * @param nicUnicastFilter unicast MAC filter slots per NIC port before it falls back to promiscuous
 *     mode (driver-specific; e.g. 128 on many 10/25G NICs)
 * @param bridgePortLimit ports a Linux bridge accepts (the kernel's BR_MAX_PORTS - 1 = 1,023)
 * @param unicastFilter whether the uplinks' unicast filter is declared (emulated uplinks) or its
 *     effect observed (real NICs)
 */
public record Capacities(
    int switchMacTable, int nicUnicastFilter, int bridgePortLimit, UnicastFilter unicastFilter) {
  public Capacities {
    if (switchMacTable <= 0 || nicUnicastFilter < 0 || bridgePortLimit <= 0) {
      throw new IllegalArgumentException("capacities must be positive");
    }
    Objects.requireNonNull(unicastFilter, "unicastFilter");
  }

  /** How the promiscuous fallback of an uplink's NIC is judged. */
  public enum UnicastFilter {
    /**
     * The uplinks are emulated: a veth has no unicast filter ({@code IFF_UNICAST_FLT} unset), so
     * the kernel makes it promiscuous at its first macvlan ({@code __dev_set_rx_mode}). The MACs
     * are compared with {@code nicUnicastFilter}, the filter a real NIC would have.
     */
    DECLARED,
    /**
     * Real NICs: an uplink that carries macvlan/ipvlan MACs and runs promiscuous is the fallback
     * itself (a NIC without a unicast filter, or without room in it). A driver that handles an
     * overflow in its own hardware does not show it in the promiscuity count: beyond {@code
     * nicUnicastFilter} MACs without promiscuity, the step says so in a note.
     */
    OBSERVED
  }

  /** Ports a Linux bridge accepts: BR_MAX_PORTS (1 << 10) minus port number 0, which is unused. */
  public static final int LINUX_BRIDGE_PORTS = (1 << 10) - 1;

  /** A cluster node's: its NICs' real state is observed. */
  public static final Capacities DEFAULT =
      new Capacities(8192, 128, LINUX_BRIDGE_PORTS, UnicastFilter.OBSERVED);
}
