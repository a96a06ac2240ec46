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
 * @param attachedAt when the interface was attached, in the run clock's monotonic nanoseconds, or
 *     {@link #UNKNOWN_TIME}; an address still tentative this long after counts as lost
 */
public record PodInterface(
    String ifname,
    String network,
    String kind,
    String master,
    List<String> addresses,
    long attachedAt) {

  /** {@link #attachedAt} when the target cannot tell. */
  public static final long UNKNOWN_TIME = Long.MIN_VALUE;

  public PodInterface {
    addresses = List.copyOf(addresses);
  }

  /** An interface whose attach time is not known. */
  public PodInterface(
      String ifname, String network, String kind, String master, List<String> addresses) {
    this(ifname, network, kind, master, addresses, UNKNOWN_TIME);
  }
}
