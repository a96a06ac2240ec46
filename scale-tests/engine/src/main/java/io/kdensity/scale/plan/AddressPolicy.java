package io.kdensity.scale.plan;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.List;

/**
 * kdensity hands out addresses only from IPv6 ULA {@code fd00::/8} and the IPv4 benchmarking range
 * {@code 198.18.0.0/15} (RFC 2544), so a run can never collide with a real network.
 */
public final class AddressPolicy {
  private AddressPolicy() {}

  private static final List<IPAddress> ALLOWED =
      List.of(
          new IPAddressString("fd00::/8").getAddress(),
          new IPAddressString("198.18.0.0/15").getAddress());

  public static final String RANGES = "fd00::/8 or 198.18.0.0/15";

  /**
   * Whether an address or CIDR lies inside the allowed ranges (for a CIDR, the whole prefix must).
   */
  public static boolean allowed(String addrOrCidr) {
    IPAddress a = new IPAddressString(addrOrCidr.strip()).getAddress();
    if (a == null) {
      return false;
    }
    IPAddress block = a.isPrefixed() ? a.toPrefixBlock() : a;
    return ALLOWED.stream().anyMatch(r -> r.contains(block));
  }
}
