package io.kdensity.scale.plan;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;

/**
 * The gateways of an attachment, as its IPAM would hand them out: each range's explicit {@code
 * gateway} or its subnet's first host (host-local's default), the {@code gateway} of static
 * addresses and of a whereabouts range (which has none unless declared), and the first host of each
 * {@code ips} subnet. On a cluster these are what pods ping: Multus reports a gateway in
 * network-status only for the default route, so secondary networks have none there.
 */
public final class Gateways {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private Gateways() {}

  /** Gateways with their prefix length ({@code fd00:10:1::1/64}). */
  public static List<String> withPrefix(Attachment a) {
    List<String> out = new ArrayList<>(ofIpam(ipam(a.config())));
    for (String subnet : a.ips()) {
      Subnet s = Subnet.of(subnet);
      out.add(s.gateway() + "/" + s.prefixLength());
    }
    return out;
  }

  /** Gateway addresses without prefix length. */
  public static List<String> of(Attachment a) {
    return withPrefix(a).stream().map(g -> g.substring(0, g.indexOf('/'))).toList();
  }

  private static JsonNode ipam(String config) {
    try {
      return JSON.readTree(config).path("ipam");
    } catch (JacksonException e) {
      return JSON.missingNode();
    }
  }

  /** Gateways of an IPAM config's ranges and static addresses, with prefix length. */
  public static List<String> ofIpam(JsonNode ipam) {
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
      String text = r.path("subnet").asString("");
      if (text.isEmpty()) {
        continue;
      }
      Subnet subnet = Subnet.of(text);
      String gw = r.has("gateway") ? r.path("gateway").asString() : subnet.gateway();
      out.add(gw + "/" + subnet.prefixLength());
    }
    // whereabouts: {"range": "fd00:10:1::/64", "gateway": "fd00:10:1::1"}; no gateway by default
    if (ipam.has("range") && ipam.has("gateway")) {
      String range = ipam.path("range").asString("");
      if (range.contains("/")) {
        out.add(ipam.path("gateway").asString() + range.substring(range.indexOf('/')));
      }
    }
    for (JsonNode a : ipam.path("addresses")) {
      if (a.has("gateway")) {
        String addr = a.path("address").asString();
        out.add(a.path("gateway").asString() + addr.substring(addr.indexOf('/')));
      }
    }
    return out;
  }
}
