package io.kdensity.scale.targets;

import io.kdensity.probes.parse.Text;
import io.kdensity.scale.metrics.NodeObject;

/** Counts the routes of {@code ip -j route show table all} that matter for leaks. */
public final class NodeRoutes {
  private NodeRoutes() {}

  /**
   * Routes outside the kernel's {@code local} table, both families (see {@link
   * NodeObject#NODE_ROUTES}).
   *
   * @param source the command and where it ran, for a parse error
   */
  public static long count(String json, String source) {
    long n = 0;
    for (var route : Text.jsonArray(json, source)) {
      if (!"local".equals(route.path("table").asString(""))) {
        n++;
      }
    }
    return n;
  }
}
