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
      int index = ++i;
      out.add(Text.entry(source, json, index, () -> link(l, index, source)));
    }
    return out;
  }

  private static LinkInfo link(JsonNode l, int index, String source) {
    String name = Text.str(l, "ifname");
    if (name == null || !l.has("ifindex")) {
      throw new ParseException(source, 0, "", "link #" + index + " has no ifname/ifindex");
    }
    JsonNode info = l.path("linkinfo");
    String kind = Text.str(info, "info_kind");
    JsonNode data = info.path("info_data");
    return new LinkInfo(
        Text.i32(l, "ifindex", -1),
        name,
        kind == null || kind.isEmpty() ? "device" : kind,
        Text.str(l, "master"),
        Text.str(l, "address"),
        Text.i32(l, "promiscuity", 0),
        l.has("operstate") ? Text.str(l, "operstate") : "UNKNOWN",
        Text.i32(l, "link_index", -1),
        Text.i32(l, "link_netnsid", -1),
        Text.strings(l, "flags"),
        Text.u64(data, "fdb_max_learned", -1),
        stats(l.path("stats64")));
  }

  private static LinkStats stats(JsonNode s) {
    if (s.isMissingNode()) {
      return LinkStats.ZERO;
    }
    JsonNode rx = s.path("rx");
    JsonNode tx = s.path("tx");
    // stats64 counters are unsigned 64-bit: kept as long bits, differences stay right
    return new LinkStats(
        Text.u64(rx, "packets", 0),
        Text.u64(rx, "bytes", 0),
        Text.u64(rx, "errors", 0),
        Text.u64(rx, "dropped", 0),
        Text.u64(tx, "packets", 0),
        Text.u64(tx, "bytes", 0),
        Text.u64(tx, "errors", 0),
        Text.u64(tx, "dropped", 0));
  }
}
