package io.kdensity.scale.targets;

import java.time.Duration;
import java.util.Map;

/**
 * What the step's traffic found.
 *
 * @param reachability address → answered its gateway
 * @param udp what the UDP load sent ({@link Udp#NONE} if off)
 * @param elapsed wall time
 */
public record TrafficResult(Map<String, Boolean> reachability, Udp udp, Duration elapsed) {
  public TrafficResult {
    reachability = Map.copyOf(reachability);
  }

  /**
   * The UDP load's own count.
   *
   * @param sent datagrams the kernel accepted (send returned)
   * @param failed sends that failed (full send buffer, unreachable sink)
   */
  public record Udp(long sent, long failed) {
    public static final Udp NONE = new Udp(0, 0);
  }
}
