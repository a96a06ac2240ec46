package io.kdensity.scale.sim;

import io.kdensity.probes.addr.Addresses;
import io.kdensity.scale.plan.Gateways;
import io.kdensity.scale.plan.Subnet;
import io.kdensity.scale.targets.local.EmbeddedNode;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * The world outside the node on the NIC segments: the router behind each uplink, which holds the
 * gateways of the networks attached there (an IPAM config's, or for addresses given per pod the
 * subnet's first host) and knows the pods' interfaces on them, as the local target's emulated
 * router does (its neighbour entries are permanent, so they are exempt from the node-wide gc_thresh
 * accounting: a real router is another machine). Not part of any real node component: it is the
 * network a real node is plugged into.
 */
final class SegmentRouter {
  private final EmbeddedNode node;
  private final Set<String> gatewaysUp = ConcurrentHashMap.newKeySet();

  SegmentRouter(EmbeddedNode node) {
    this.node = node;
  }

  /** The uplink a plugin config hangs on ({@code master} is one of the node's NICs), or -1. */
  int uplinkOf(JsonNode pluginConfig) {
    return node.uplinkIndex(pluginConfig.path("master").asString(""));
  }

  /**
   * An interface came up on uplink {@code k}: the router gets the network's gateways (once) and
   * learns the interface.
   */
  void attached(int uplink, JsonNode pluginConfig, String mac, List<String> addresses) {
    if (uplink < 0) {
      return;
    }
    List<String> gws = new java.util.ArrayList<>(Gateways.ofIpam(pluginConfig.path("ipam")));
    if ("static".equals(pluginConfig.path("ipam").path("type").asString(""))) {
      // addresses given per pod (a selection's ips): the router is the subnet's first host, as a
      // plan's ips subnets declare it
      for (String a : addresses) {
        Subnet s = Subnet.of(a);
        gws.add(s.gateway() + "/" + s.prefixLength());
      }
    }
    List<String> missing = gws.stream().filter(g -> gatewaysUp.add(uplink + " " + g)).toList();
    if (!missing.isEmpty()) {
      node.addGateways(uplink, missing);
    }
    if (!mac.isEmpty() && !addresses.isEmpty()) {
      node.pinRouterEntry(uplink, mac, plain(addresses));
    }
  }

  /** The interface is gone: the router forgets it. */
  void detached(int uplink, String mac, List<String> addresses) {
    if (uplink >= 0 && !mac.isEmpty() && !addresses.isEmpty()) {
      node.unpinRouterEntry(uplink, mac, plain(addresses));
    }
  }

  private static List<String> plain(List<String> addresses) {
    return addresses.stream().map(Addresses::canonical).toList();
  }
}
