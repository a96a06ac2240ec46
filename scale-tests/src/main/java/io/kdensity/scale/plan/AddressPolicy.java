package io.kdensity.scale.plan;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * kdensity hands out addresses only from IPv6 ULA {@code fd00::/8} and the IPv4 benchmarking range
 * {@code 198.18.0.0/15} (RFC 2544), so a run can never collide with a real network.
 */
public final class AddressPolicy {
  private AddressPolicy() {}

  /**
   * Whether an address or CIDR lies inside the allowed ranges (for a CIDR, the whole prefix must).
   */
  public static boolean allowed(String addrOrCidr) {
    String a = addrOrCidr.strip();
    int slash = a.indexOf('/');
    int len = -1;
    if (slash >= 0) {
      try {
        len = Integer.parseInt(a.substring(slash + 1));
      } catch (NumberFormatException e) {
        return false;
      }
      a = a.substring(0, slash);
    }
    byte[] b;
    try {
      if (!a.matches("[0-9a-fA-F:.]+")) {
        return false;
      }
      b = InetAddress.getByName(a).getAddress();
    } catch (UnknownHostException e) {
      return false;
    }
    if (b.length == 16) {
      return (b[0] & 0xff) == 0xfd && (len < 0 || len >= 8);
    }
    return (b[0] & 0xff) == 198 && (b[1] & 0xfe) == 18 && (len < 0 || len >= 15);
  }

  public static final String RANGES = "fd00::/8 or 198.18.0.0/15";
}
