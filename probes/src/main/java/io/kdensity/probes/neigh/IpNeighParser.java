package io.kdensity.probes.neigh;

import io.kdensity.probes.parse.Text;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Parses {@code ip -j neigh} and {@code ip -j -s neigh}. */
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
                      n.has("extern_learn"),
                      n.has("updated") ? Duration.ofSeconds(Text.u64(n, "updated", 0)) : null)));
    }
    return out;
  }
}
