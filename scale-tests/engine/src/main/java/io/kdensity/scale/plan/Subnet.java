package io.kdensity.scale.plan;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.kdensity.probes.addr.Addresses;
import java.math.BigInteger;
import java.util.Optional;

/**
 * A subnet of a plan ({@code fd00:10:2::/64}), with the CIDR math kdensity needs done by the
 * IPAddress library: its n-th host, how many pod addresses it holds, whether it lies in a range.
 *
 * @param cidr the subnet as written, normalised to its network address
 */
public record Subnet(IPAddress cidr) {

  /** The subnet, or empty if {@code text} is not an address with a prefix length. */
  public static Optional<Subnet> parse(String text) {
    IPAddress a = new IPAddressString(text.strip()).getAddress();
    if (a == null || !a.isPrefixed()) {
      return Optional.empty();
    }
    return Optional.of(new Subnet(a.toPrefixBlock()));
  }

  /** Like {@link #parse}, for subnets already validated. */
  public static Subnet of(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("not a subnet: " + text));
  }

  public int prefixLength() {
    return cidr.getNetworkPrefixLength();
  }

  public boolean isIpv6() {
    return cidr.isIPv6();
  }

  /** Host number {@code n} (1 is the first after the network address), without prefix length. */
  public String host(long n) {
    IPAddress h = cidr.getLower().withoutPrefixLength().increment(n);
    return Addresses.canonical(h.toCanonicalString());
  }

  /** Host number {@code n} with the subnet's prefix length ({@code fd00:10:2::5/64}). */
  public String hostWithPrefix(long n) {
    return host(n) + "/" + prefixLength();
  }

  /** The first host: kdensity's (and host-local's) gateway of the subnet. */
  public String gateway() {
    return host(1);
  }

  /** Pod addresses the subnet holds: all but the network address, the gateway and the last. */
  public BigInteger capacity() {
    return cidr.getCount().subtract(BigInteger.valueOf(3)).max(BigInteger.ZERO);
  }

  /** Whether the whole subnet lies inside {@code range} (a CIDR). */
  public boolean within(String range) {
    IPAddress r = new IPAddressString(range).getAddress();
    return r != null && r.toPrefixBlock().contains(cidr);
  }

  @Override
  public String toString() {
    return cidr.toCanonicalString();
  }
}
