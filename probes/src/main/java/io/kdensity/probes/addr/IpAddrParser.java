package io.kdensity.probes.addr;

import io.kdensity.probes.parse.Text;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Parses {@code ip -j addr}: every address with its DAD state. */
public final class IpAddrParser {
  private IpAddrParser() {}

  public static List<AddressInfo> parse(String json, String source) {
    List<AddressInfo> out = new ArrayList<>();
    for (JsonNode link : Text.jsonArray(json, source)) {
      String ifname = Text.str(link, "ifname");
      for (JsonNode a : link.path("addr_info")) {
        out.add(
            new AddressInfo(
                ifname == null ? "?" : ifname,
                a.path("family").asString("?"),
                a.path("local").asString(""),
                a.path("prefixlen").asInt(0),
                a.path("scope").asString("global"),
                a.path("tentative").asBoolean(false),
                a.path("dadfailed").asBoolean(false)));
      }
    }
    return out;
  }
}
