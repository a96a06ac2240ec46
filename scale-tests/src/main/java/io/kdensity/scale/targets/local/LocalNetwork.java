package io.kdensity.scale.targets.local;

import io.kdensity.scale.plan.Attachment;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An attachment made concrete for one local run: its CNI config with the run's names filled in
 * ({@code master: uplink0} → {@code kd-<id>-up0}, the bridge name, the IPAM data folder), and where
 * its gateway lives.
 *
 * @param name attachment name
 * @param type CNI type
 * @param config the CNI config to pass to the plugin
 * @param master the parent link (macvlan/ipvlan) or bridge in the node, or null (ptp)
 * @param uplink the uplink index for macvlan/ipvlan, else -1
 * @param gateways gateway addresses with prefix length; for uplink networks they are configured on
 *     the fabric's switch bridge, so the fabric plays the router
 */
record LocalNetwork(
    String name, String type, String config, String master, int uplink, List<String> gateways) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  LocalNetwork {
    gateways = List.copyOf(gateways);
  }

  /** Whether reachability is checked from the fabric (uplink networks) or from the node. */
  boolean gatewayInFabric() {
    return uplink >= 0;
  }

  static LocalNetwork of(Attachment a, LocalNames names, Path ipamDir, int bridgeIndex) {
    ObjectNode c = (ObjectNode) JSON.readTree(a.config());
    String type = c.path("type").asString();
    String master = null;
    int uplink = -1;
    if (c.has("master")) {
      uplink = Integer.parseInt(c.path("master").asString().substring("uplink".length()));
      master = names.uplink(uplink);
      c.put("master", master);
    }
    if (type.equals("bridge")) {
      master = names.bridge(bridgeIndex);
      c.put("bridge", master);
      if (!c.has("isGateway")) {
        c.put("isGateway", true);
      }
    }
    JsonNode ipam = c.path("ipam");
    if (ipam instanceof ObjectNode io && "host-local".equals(io.path("type").asString())) {
      io.put("dataDir", ipamDir.toString());
    }
    List<String> gws = new ArrayList<>(gateways(ipam));
    for (int i = 0; i < a.ips().size(); i++) {
      // pods' fixed addresses start after the subnet's first host, the gateway
      String subnet = a.ips().get(i);
      gws.add(a.gateways().get(i) + subnet.substring(subnet.indexOf('/')));
    }
    return new LocalNetwork(a.name(), type, c.toString(), master, uplink, gws);
  }

  /**
   * Gateways of every range: the explicit one, or the subnet's first address (host-local's
   * default).
   */
  static List<String> gateways(JsonNode ipam) {
    List<String> out = new ArrayList<>();
    List<JsonNode> ranges = new ArrayList<>();
    if (ipam.has("subnet")) {
      ranges.add(ipam);
    }
    for (JsonNode set : ipam.path("ranges")) {
      if (set instanceof ArrayNode arr) {
        arr.forEach(ranges::add);
      }
    }
    for (JsonNode r : ranges) {
      String subnet = r.path("subnet").asString("");
      if (subnet.isEmpty()) {
        continue;
      }
      String len = subnet.substring(subnet.indexOf('/') + 1);
      String gw = r.has("gateway") ? r.path("gateway").asString() : firstHost(subnet);
      out.add(gw + "/" + len);
    }
    for (JsonNode a : ipam.path("addresses")) {
      if (a.has("gateway")) {
        String addr = a.path("address").asString();
        out.add(a.path("gateway").asString() + addr.substring(addr.indexOf('/')));
      }
    }
    return out;
  }

  static String firstHost(String cidr) {
    try {
      byte[] b = java.net.InetAddress.getByName(cidr.substring(0, cidr.indexOf('/'))).getAddress();
      b[b.length - 1] = (byte) (b[b.length - 1] + 1);
      return io.kdensity.probes.addr.Addresses.canonical(
          java.net.InetAddress.getByAddress(b).getHostAddress());
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("bad subnet " + cidr, e);
    }
  }
}
