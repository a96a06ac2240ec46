package io.kdensity.probes.addr;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Canonical text forms of IP addresses, so {@code fd00:0::1} and {@code fd00::1} compare equal. */
public final class Addresses {
  private Addresses() {}

  /**
   * The canonical (RFC 5952 compressed, lower case) form of an IPv4 or IPv6 literal without prefix
   * length; text that is not an address literal is returned unchanged.
   */
  public static String canonical(String literal) {
    String a = literal.strip();
    int slash = a.indexOf('/');
    if (slash >= 0) {
      a = a.substring(0, slash);
    }
    if (a.indexOf(':') < 0) {
      return a;
    }
    int pct = a.indexOf('%');
    String zone = pct >= 0 ? a.substring(pct) : "";
    String bare = pct >= 0 ? a.substring(0, pct) : a;
    try {
      if (!bare.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.')) {
        return a;
      }
      byte[] b = InetAddress.getByName(bare).getAddress();
      return b.length == 16 ? compress(b) + zone : a;
    } catch (UnknownHostException e) {
      return a;
    }
  }

  /** Formats 32 hex digits (as in {@code /proc/net/if_inet6}) as a canonical IPv6 address. */
  public static String fromHex32(String hex) {
    if (hex.length() != 32) {
      throw new IllegalArgumentException("expected 32 hex digits: " + hex);
    }
    byte[] b = new byte[16];
    for (int i = 0; i < 16; i++) {
      b[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
    }
    return compress(b);
  }

  private static String compress(byte[] b) {
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int i = 0; i < 8; ) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen && j - i >= 2) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
