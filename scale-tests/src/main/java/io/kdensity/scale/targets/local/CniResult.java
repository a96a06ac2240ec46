package io.kdensity.scale.targets.local;

import java.util.List;

/**
 * The parts of a CNI ADD result kdensity uses.
 *
 * @param interfaces interface names in result order (host side first for veth plugins)
 * @param sandboxInterface the interface created inside the pod
 * @param sandboxMac its MAC address, or "" if the plugin did not say
 * @param addresses addresses given to the pod, with prefix length ({@code fd00:10:1::5/64})
 * @param gateways gateways named in the result
 */
public record CniResult(
    List<String> interfaces,
    String sandboxInterface,
    String sandboxMac,
    List<String> addresses,
    List<String> gateways) {
  public CniResult {
    interfaces = List.copyOf(interfaces);
    addresses = List.copyOf(addresses);
    gateways = List.copyOf(gateways);
  }

  /** Host-side interfaces (those without a sandbox), e.g. the ptp/bridge veth in the node. */
  public List<String> hostInterfaces() {
    return interfaces.stream().filter(i -> !i.equals(sandboxInterface)).toList();
  }
}
