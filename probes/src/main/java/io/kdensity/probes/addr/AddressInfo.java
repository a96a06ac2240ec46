package io.kdensity.probes.addr;

import java.util.Objects;

/**
 * One address configured on an interface.
 *
 * @param ifname the interface
 * @param family {@code inet} or {@code inet6}
 * @param address the address in canonical text form, without prefix length
 * @param prefix prefix length
 * @param scope {@code global}, {@code link}, {@code host}
 * @param tentative duplicate address detection has not finished
 * @param dadfailed duplicate address detection found another node with this address
 */
public record AddressInfo(
    String ifname,
    String family,
    String address,
    int prefix,
    String scope,
    boolean tentative,
    boolean dadfailed) {
  public AddressInfo {
    Objects.requireNonNull(ifname, "ifname");
    Objects.requireNonNull(family, "family");
    address = Addresses.canonical(Objects.requireNonNull(address, "address"));
  }

  /** Usable: configured and past DAD. */
  public boolean usable() {
    return !tentative && !dadfailed;
  }
}
