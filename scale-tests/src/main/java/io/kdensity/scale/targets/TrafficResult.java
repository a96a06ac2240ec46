package io.kdensity.scale.targets;

import java.time.Duration;
import java.util.Map;

/**
 * What the step's traffic found.
 *
 * @param reachability address → answered its gateway
 * @param udpSent datagrams sent by the UDP load (0 if off)
 * @param elapsed wall time
 */
public record TrafficResult(Map<String, Boolean> reachability, long udpSent, Duration elapsed) {
  public TrafficResult {
    reachability = Map.copyOf(reachability);
  }
}
