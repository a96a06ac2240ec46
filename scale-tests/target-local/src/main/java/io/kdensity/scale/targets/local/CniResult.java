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
 * @param defaultRouteGateways the gateways of the result's default routes ({@code 0.0.0.0/0},
 *     {@code ::/0}): what Multus reports as an interface's {@code gateway} in network-status
 * @param json the result as the plugin printed it (the next plugin's {@code prevResult} in a chain)
 */
public record CniResult(
    List<String> interfaces,
    String sandboxInterface,
    String sandboxMac,
    List<String> addresses,
    List<String> gateways,
    List<String> defaultRouteGateways,
    String json) {
  public CniResult {
    interfaces = List.copyOf(interfaces);
    addresses = List.copyOf(addresses);
    gateways = List.copyOf(gateways);
    defaultRouteGateways = List.copyOf(defaultRouteGateways);
  }

  /** Host-side interfaces (those without a sandbox), e.g. the ptp/bridge veth in the node. */
  public List<String> hostInterfaces() {
    return interfaces.stream().filter(i -> !i.equals(sandboxInterface)).toList();
  }
}
