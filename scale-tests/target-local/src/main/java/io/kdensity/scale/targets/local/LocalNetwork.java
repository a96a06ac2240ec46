package io.kdensity.scale.targets.local;

import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.plan.Gateways;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * An attachment made concrete for one local run: its CNI config with the run's names filled in
 * ({@code master: uplink0} → {@code kd-<id>-up0}, the bridge name, the IPAM data folder), and where
 * its gateway lives.
 *
 * @param name attachment name
 * @param type CNI type
 * @param config the CNI config to pass to the plugin, parsed once
 * @param master the parent link (macvlan/ipvlan) or bridge in the node, or null (ptp)
 * @param uplink the uplink index for macvlan/ipvlan, else -1
 * @param gateways gateway addresses with prefix length; for uplink networks they are configured on
 *     the fabric's switch bridge, so the fabric plays the router
 */
record LocalNetwork(
    String name, String type, CniConfig config, String master, int uplink, List<String> gateways) {

  LocalNetwork {
    gateways = List.copyOf(gateways);
  }

  /** Whether reachability is checked from the fabric (uplink networks) or from the node. */
  boolean gatewayInFabric() {
    return uplink >= 0;
  }

  static LocalNetwork of(Attachment a, LocalNames names, Path ipamDir, int bridgeIndex) {
    CniConfig parsed = CniConfig.parse(a.config());
    String type = parsed.type();
    String master = null;
    int uplink = -1;
    String masterField = parsed.field("master");
    if (!masterField.isEmpty()) {
      uplink = Integer.parseInt(masterField.substring("uplink".length()));
      master = names.uplink(uplink);
    }
    if (type.equals("bridge")) {
      master = names.bridge(bridgeIndex);
    }
    String theMaster = master;
    CniConfig config =
        parsed.with(
            c -> {
              if (c.has("master")) {
                c.put("master", theMaster);
              }
              if (type.equals("bridge")) {
                c.put("bridge", theMaster);
                if (!c.has("isGateway")) {
                  c.put("isGateway", true);
                }
              }
              if (c.path("ipam") instanceof ObjectNode io
                  && "host-local".equals(io.path("type").asString())) {
                io.put("dataDir", ipamDir.toString());
              }
            });
    List<String> gws = Gateways.withPrefix(a);
    return new LocalNetwork(a.name(), type, config, master, uplink, gws);
  }
}
