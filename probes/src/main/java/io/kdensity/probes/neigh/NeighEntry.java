package io.kdensity.probes.neigh;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.time.Duration;
import java.util.List;

/**
 * One neighbour entry as {@code ip -j neigh} prints it.
 *
 * @param dst the neighbour's IP address
 * @param dev the interface
 * @param lladdr its MAC address, or {@code null} while unresolved
 * @param state NUD states, e.g. REACHABLE, STALE, FAILED, INCOMPLETE, PERMANENT
 * @param externLearned added by a control plane ({@code extern_learn}), not learned by the kernel
 * @param sinceUpdate how long ago its state or address last changed ({@code updated}, whole
 *     seconds, read with {@code ip -s}); null when not read
 */
public record NeighEntry(
    String dst,
    String dev,
    String lladdr,
    List<String> state,
    boolean externLearned,
    Duration sinceUpdate) {
  public NeighEntry {
    state = List.copyOf(state);
  }

  public NeighEntry(String dst, String dev, String lladdr, List<String> state) {
    this(dst, dev, lladdr, state, false, null);
  }

  /** Its states, and with {@code ip -s} when it last changed: "REACHABLE, changed 3 s ago". */
  public String describe() {
    String states = String.join("/", state);
    return sinceUpdate == null
        ? states
        : states + ", changed " + sinceUpdate.toSeconds() + " s ago";
  }

  /**
   * Whether the kernel leaves the entry out of the gc_thresh accounting: permanent and externally
   * learned entries are exempt since Linux 4.19 ({@code net/core/neighbour.c}, {@code
   * exempt_from_gc}), and so are the loopback device's; {@code /proc/net/stat/ndisc_cache} still
   * counts them all in {@code entries}.
   */
  public boolean exemptFromGc() {
    return state.contains("PERMANENT") || externLearned || "lo".equals(dev);
  }

  /** IPv6 (true) or IPv4 by the address's form. */
  public boolean ipv6() {
    return dst != null && dst.indexOf(':') >= 0;
  }

  /** A multicast destination (ff00::/8, 224.0.0.0/4): forced GC removes these at any age. */
  public boolean multicast() {
    IPAddress a = dst == null ? null : new IPAddressString(dst).getAddress();
    return a != null && a.isMulticast();
  }

  public boolean failed() {
    return state.contains("FAILED") || state.contains("INCOMPLETE");
  }
}
