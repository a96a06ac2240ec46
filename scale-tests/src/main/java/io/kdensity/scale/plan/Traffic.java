package io.kdensity.scale.plan;

import java.time.Duration;

/**
 * Bounded traffic of every step.
 *
 * @param reachability ping every pod address from its gateway (neighbour discovery, MAC learning)
 * @param pingInterval gap between pings of one sweep (fping -i)
 * @param pingTimeout wait for a reply (fping -t)
 * @param pingRetries retries of an unanswered address (fping -r)
 * @param udp optional UDP load
 */
public record Traffic(
    boolean reachability, Duration pingInterval, Duration pingTimeout, int pingRetries, Udp udp) {

  /**
   * A UDP load from the fabric to a few pods' sockets, so softnet and socket-buffer counters move.
   *
   * @param enabled off by default
   * @param pods receiving pods
   * @param rate datagrams per second, in total
   * @param payload bytes per datagram
   * @param rcvbuf receive buffer of each receiving socket (SO_RCVBUF), bytes
   */
  public record Udp(boolean enabled, int pods, int rate, int payload, int rcvbuf) {
    public static final Udp OFF = new Udp(false, 2, 20000, 512, 65536);
  }

  public static final Traffic DEFAULT =
      new Traffic(true, Duration.ofMillis(1), Duration.ofMillis(500), 1, Udp.OFF);
}
