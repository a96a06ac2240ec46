package io.kdensity.scale.plan;

import java.time.Duration;

/**
 * Bounded traffic of every step.
 *
 * @param reachability ping every pod address from its gateway (neighbour discovery, MAC learning)
 * @param pingInterval gap between pings of one sweep (fping -i)
 * @param pingTimeout wait for a reply (fping -t)
 * @param pingRetries retries of an unanswered address (fping -r)
 * @param peers with reachability, each pod interface on an attachment network also pings this many
 *     peers (the next pods on that network, wrapping around), as routing-protocol neighbours on
 *     satellite links exchange with each other: every peer is a neighbour entry on both sides
 * @param udp optional UDP load
 */
public record Traffic(
    boolean reachability,
    Duration pingInterval,
    Duration pingTimeout,
    int pingRetries,
    int peers,
    Udp udp) {

  /**
   * A UDP load from the fabric to a few pods' sockets, so softnet and socket-buffer counters move.
   *
   * @param enabled off by default
   * @param pods receiving pods (sinks)
   * @param rate datagrams per second, in total ({@link UdpPattern#STEADY})
   * @param payload bytes per datagram
   * @param rcvbuf receive buffer of each sink (SO_RCVBUF), bytes; 0 keeps the kernel's default,
   *     {@code net.core.rmem_default} of the pod's namespace, which a profile sets
   * @param pattern how datagrams are spread over time
   * @param perPod datagrams each pod of the step adds to one burst ({@link UdpPattern#INCAST})
   * @param readRate datagrams per second each sink reads; 0 never reads
   * @param readBurst datagrams a sink reads at once at most after it idled: the cap of its token
   *     bucket. An application handles datagrams at {@code readRate} and saves no more than this
   *     much credit while nothing arrives, so a burst overflows the buffer the kernel gives the
   *     socket, not a reader that caught up in one wake-up
   */
  public record Udp(
      boolean enabled,
      int pods,
      int rate,
      int payload,
      int rcvbuf,
      UdpPattern pattern,
      int perPod,
      int readRate,
      int readBurst) {
    public static final Udp OFF = new Udp(false, 2, 20000, 512, 65536, UdpPattern.STEADY, 1, 0, 1);

    /** {@code rate} datagrams per second into sinks that never read. */
    public static Udp steady(int pods, int rate, int payload, int rcvbuf) {
      return new Udp(true, pods, rate, payload, rcvbuf, UdpPattern.STEADY, 1, 0, 1);
    }
  }

  /** How a UDP load spreads its datagrams over time. */
  public enum UdpPattern {
    /** {@code rate} datagrams per second, evenly spaced. */
    STEADY,
    /**
     * Once a second, every pod of the step sends {@code perPod} datagrams to the sinks at the same
     * moment (a collector receiving a synchronized report from every pod: link-state flooding after
     * a topology change, telemetry on the same tick): the burst grows with the pod count until it
     * no longer fits the sinks' receive buffers. Emulated by one sender in the fabric.
     */
    INCAST
  }

  public static final Traffic DEFAULT =
      new Traffic(true, Duration.ofMillis(1), Duration.ofMillis(500), 1, 0, Udp.OFF);
}
