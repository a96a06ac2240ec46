package io.kdensity.probes.probe;

import java.util.List;

/**
 * An interface a pod was given, as its CNI result (or Multus network-status) declared it.
 *
 * @param ifname name inside the pod, e.g. {@code net3}
 * @param network the attachment (NetworkAttachmentDefinition) name
 * @param kind CNI type / link kind: ptp, bridge, macvlan, ipvlan…
 * @param master parent link (macvlan/ipvlan) or bridge on the node, or {@code null}
 * @param addresses addresses the pod was given (canonical, without prefix length)
 */
public record PodInterface(
    String ifname, String network, String kind, String master, List<String> addresses) {
  public PodInterface {
    addresses = List.copyOf(addresses);
  }
}
