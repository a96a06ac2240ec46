package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.kdensity.probes.addr.Addresses;
import io.kdensity.probes.probe.PodInterface;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Multus' {@code k8s.v1.cni.cncf.io/network-status} annotation of one pod, parsed once: what was
 * attached, with which addresses. Multus fills {@code gateway} only from a default route in the CNI
 * result, so secondary networks usually have none (kdensity takes their gateways from the plan).
 *
 * @param entries one per attached interface, eth0 (the default network) included
 */
record NetworkStatus(List<Entry> entries) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * @param network the attachment name without its namespace ({@code sat-a}), or the default
   *     network's name
   * @param ifname the interface in the pod
   * @param ips addresses (canonical, no prefix length)
   * @param gateways gateways Multus reported (default route only)
   * @param isDefault whether it is the cluster network (eth0)
   */
  record Entry(
      String network, String ifname, List<String> ips, List<String> gateways, boolean isDefault) {
    Entry {
      ips = List.copyOf(ips);
      gateways = List.copyOf(gateways);
    }
  }

  NetworkStatus {
    entries = List.copyOf(entries);
  }

  static final NetworkStatus NONE = new NetworkStatus(List.of());

  /** The pod's status; {@link #NONE} before Multus wrote it or if it is not JSON. */
  static NetworkStatus of(Pod p) {
    var annotations = p.getMetadata().getAnnotations();
    String text = annotations == null ? null : annotations.get(KubeLabels.NETWORK_STATUS);
    if (text == null) {
      return NONE;
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JacksonException e) {
      return NONE;
    }
    List<Entry> out = new ArrayList<>();
    for (JsonNode n : root) {
      List<String> ips = new ArrayList<>();
      n.path("ips").forEach(ip -> ips.add(Addresses.canonical(ip.asString())));
      List<String> gws = new ArrayList<>();
      n.path("gateway").forEach(gw -> gws.add(Addresses.canonical(gw.asString())));
      boolean dflt = n.path("default").asBoolean(false);
      String name = n.path("name").asString("");
      out.add(
          new Entry(
              name.contains("/") ? name.substring(name.indexOf('/') + 1) : name,
              n.path("interface").asString(dflt ? "eth0" : "?"),
              ips,
              gws,
              dflt));
    }
    return new NetworkStatus(out);
  }

  /** The interfaces as the probes see them (attach time unknown: the informer saw the whole). */
  List<PodInterface> interfaces(long attachedAt) {
    return entries.stream()
        .map(
            e ->
                new PodInterface(
                    e.ifname(),
                    e.network(),
                    e.isDefault() ? "default" : "multus",
                    null,
                    e.ips(),
                    attachedAt))
        .toList();
  }
}
