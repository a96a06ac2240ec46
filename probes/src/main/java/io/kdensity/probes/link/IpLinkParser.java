package io.kdensity.probes.link;

import io.kdensity.probes.parse.ParseException;
import io.kdensity.probes.parse.Text;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Parses {@code ip -j -d -s link} (also without {@code -d}/{@code -s}). */
public final class IpLinkParser {
  private IpLinkParser() {}

  /**
   * @param json the command's standard output
   * @param source the command line, for error messages
   */
  public static List<LinkInfo> parse(String json, String source) {
    JsonNode root = Text.jsonArray(json, source);
    List<LinkInfo> out = new ArrayList<>(root.size());
    int i = 0;
    for (JsonNode l : root) {
      i++;
      String name = Text.str(l, "ifname");
      if (name == null || !l.has("ifindex")) {
        throw new ParseException(source, 0, "", "link #" + i + " has no ifname/ifindex");
      }
      JsonNode info = l.path("linkinfo");
      String kind = info.path("info_kind").asString("device");
      JsonNode data = info.path("info_data");
      out.add(
          new LinkInfo(
              l.get("ifindex").asInt(),
              name,
              kind.isEmpty() ? "device" : kind,
              Text.str(l, "master"),
              Text.str(l, "address"),
              l.path("promiscuity").asInt(0),
              l.path("operstate").asString("UNKNOWN"),
              l.has("link_index") ? l.get("link_index").asInt() : -1,
              Text.strings(l, "flags"),
              data.has("fdb_max_learned") ? data.get("fdb_max_learned").asLong() : -1,
              stats(l.path("stats64"))));
    }
    return out;
  }

  private static LinkStats stats(JsonNode s) {
    if (s.isMissingNode()) {
      return LinkStats.ZERO;
    }
    JsonNode rx = s.path("rx");
    JsonNode tx = s.path("tx");
    return new LinkStats(
        rx.path("packets").asLong(0),
        rx.path("bytes").asLong(0),
        rx.path("errors").asLong(0),
        rx.path("dropped").asLong(0),
        tx.path("packets").asLong(0),
        tx.path("bytes").asLong(0),
        tx.path("errors").asLong(0),
        tx.path("dropped").asLong(0));
  }
}
