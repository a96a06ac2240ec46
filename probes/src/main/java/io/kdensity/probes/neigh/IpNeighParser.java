package io.kdensity.probes.neigh;

import io.kdensity.probes.parse.Text;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Parses {@code ip -j neigh}. */
public final class IpNeighParser {
  private IpNeighParser() {}

  public static List<NeighEntry> parse(String json, String source) {
    List<NeighEntry> out = new ArrayList<>();
    int i = 0;
    for (JsonNode n : Text.jsonArray(json, source)) {
      out.add(
          Text.entry(
              source,
              json,
              ++i,
              () ->
                  new NeighEntry(
                      Text.str(n, "dst"),
                      Text.str(n, "dev"),
                      Text.str(n, "lladdr"),
                      Text.strings(n, "state"),
                      n.has("extern_learn"))));
    }
    return out;
  }
}
