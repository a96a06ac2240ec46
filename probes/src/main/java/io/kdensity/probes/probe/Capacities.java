package io.kdensity.probes.probe;

/**
 * Declared limits of hardware kdensity cannot see: the top-of-rack switch's MAC table, the NIC's
 * unicast filter, the bridge port limit.
 *
 * @param switchMacTable learned MAC addresses the switch (or a bridge playing it) may hold
 * @param nicUnicastFilter unicast MAC filter slots per NIC port before it falls back to promiscuous
 *     mode (driver-specific; e.g. 128 on many 10/25G NICs)
 * @param bridgePortLimit ports a Linux bridge accepts (the kernel's BR_MAX_PORTS - 1 = 1,023)
 */
public record Capacities(int switchMacTable, int nicUnicastFilter, int bridgePortLimit) {
  public Capacities {
    if (switchMacTable <= 0 || nicUnicastFilter < 0 || bridgePortLimit <= 0) {
      throw new IllegalArgumentException("capacities must be positive");
    }
  }

  /** Ports a Linux bridge accepts: BR_MAX_PORTS (1 << 10) minus port number 0, which is unused. */
  public static final int LINUX_BRIDGE_PORTS = (1 << 10) - 1;

  public static final Capacities DEFAULT = new Capacities(8192, 128, LINUX_BRIDGE_PORTS);
}
