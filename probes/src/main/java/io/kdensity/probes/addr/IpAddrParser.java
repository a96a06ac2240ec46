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
    int i = 0;
    for (JsonNode link : Text.jsonArray(json, source)) {
      out.addAll(Text.entry(source, json, ++i, () -> addresses(link)));
    }
    return out;
  }

  private static List<AddressInfo> addresses(JsonNode link) {
    List<AddressInfo> out = new ArrayList<>();
    String ifname = Text.str(link, "ifname");
    for (JsonNode a : link.path("addr_info")) {
      String family = Text.str(a, "family");
      String local = Text.str(a, "local");
      String scope = Text.str(a, "scope");
      out.add(
          new AddressInfo(
              ifname == null ? "?" : ifname,
              family == null ? "?" : family,
              local == null ? "" : local,
              Text.i32(a, "prefixlen", 0),
              scope == null ? "global" : scope,
              a.path("tentative").asBoolean(false),
              a.path("dadfailed").asBoolean(false)));
    }
    return out;
  }
}
