package io.kdensity.probes.fdb;

import io.kdensity.probes.parse.Text;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Parses {@code bridge -j fdb show}. */
public final class BridgeFdbParser {
  private BridgeFdbParser() {}

  public static List<FdbEntry> parse(String json, String source) {
    List<FdbEntry> out = new ArrayList<>();
    int i = 0;
    for (JsonNode e : Text.jsonArray(json, source)) {
      out.add(
          Text.entry(
              source,
              json,
              ++i,
              () ->
                  new FdbEntry(
                      Text.str(e, "mac"),
                      Text.str(e, "ifname"),
                      Text.str(e, "master"),
                      Text.str(e, "state"),
                      Text.strings(e, "flags"),
                      Text.i32(e, "vlan", 0))));
    }
    return out;
  }
}
