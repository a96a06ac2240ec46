package io.kdensity.tuning.profile;

import java.util.List;
import java.util.Optional;

/**
 * The sysctls a profile may set, with their type and allowed range. A key outside the catalog is an
 * error ("unknown sysctl"), so a typo can never be applied to a node. {@code *} in a pattern stands
 * for one interface name ({@code all}, {@code default}, {@code eth0}).
 */
public final class SysctlCatalog {

  /**
   * @param pattern key, {@code *} for one path segment
   * @param arity number of integers in the value (3 for {@code udp_mem})
   * @param min smallest allowed integer
   * @param max largest allowed integer
   * @param doc what it controls
   */
  public record KeySpec(String pattern, int arity, long min, long max, String doc) {
    boolean matches(String key) {
      String[] p = pattern.split("\\.");
      String[] k = key.split("\\.");
      if (p.length != k.length) {
        return false;
      }
      for (int i = 0; i < p.length; i++) {
        if (!p[i].equals("*") && !p[i].equals(k[i])) {
          return false;
        }
      }
      return true;
    }

    /** Checks a value; returns the problem, or empty if it is valid. */
    public Optional<String> check(String value) {
      String[] t = value.trim().split("\\s+");
      if (t.length != arity) {
        return Optional.of(
            "expects "
                + (arity == 1 ? "one integer" : arity + " integers")
                + ", found '"
                + value
                + "'");
      }
      for (String s : t) {
        long v;
        try {
          v = Long.parseLong(s);
        } catch (NumberFormatException e) {
          return Optional.of("expects integers, found '" + s + "'");
        }
        if (v < min || v > max) {
          return Optional.of("must be between " + min + " and " + max + ", found " + v);
        }
      }
      return Optional.empty();
    }
  }

  private static final long INT = Integer.MAX_VALUE;

  private static final List<KeySpec> SPECS =
      List.of(
          new KeySpec(
              "net.ipv4.neigh.default.gc_thresh1",
              1,
              0,
              INT,
              "IPv4 neighbours kept without garbage collection"),
          new KeySpec(
              "net.ipv4.neigh.default.gc_thresh2",
              1,
              0,
              INT,
              "IPv4 neighbours above which GC becomes aggressive after 5 s"),
          new KeySpec(
              "net.ipv4.neigh.default.gc_thresh3",
              1,
              0,
              INT,
              "IPv4 neighbour table hard limit (node-wide)"),
          new KeySpec(
              "net.ipv6.neigh.default.gc_thresh1",
              1,
              0,
              INT,
              "IPv6 neighbours kept without garbage collection"),
          new KeySpec(
              "net.ipv6.neigh.default.gc_thresh2",
              1,
              0,
              INT,
              "IPv6 neighbours above which GC becomes aggressive after 5 s"),
          new KeySpec(
              "net.ipv6.neigh.default.gc_thresh3",
              1,
              0,
              INT,
              "IPv6 neighbour table hard limit (node-wide)"),
          new KeySpec(
              "net.ipv4.neigh.default.gc_interval", 1, 1, INT, "seconds between neighbour GC runs"),
          new KeySpec(
              "net.ipv6.neigh.default.gc_interval", 1, 1, INT, "seconds between neighbour GC runs"),
          new KeySpec(
              "net.ipv4.neigh.default.gc_stale_time",
              1,
              1,
              INT,
              "seconds before a stale neighbour is checked"),
          new KeySpec(
              "net.ipv6.neigh.default.gc_stale_time",
              1,
              1,
              INT,
              "seconds before a stale neighbour is checked"),
          new KeySpec(
              "net.core.netdev_max_backlog",
              1,
              1,
              INT,
              "packets queued per CPU before softnet drops"),
          new KeySpec("net.core.netdev_budget", 1, 1, INT, "packets one NET_RX run may process"),
          new KeySpec(
              "net.core.netdev_budget_usecs", 1, 1, INT, "microseconds one NET_RX run may take"),
          new KeySpec("net.core.dev_weight", 1, 1, INT, "packets per NAPI poll of the backlog"),
          new KeySpec("net.core.rmem_default", 1, 256, INT, "default socket receive buffer, bytes"),
          new KeySpec(
              "net.core.rmem_max",
              1,
              256,
              INT,
              "largest receive buffer a socket may ask for, bytes"),
          new KeySpec("net.core.wmem_default", 1, 256, INT, "default socket send buffer, bytes"),
          new KeySpec(
              "net.core.wmem_max", 1, 256, INT, "largest send buffer a socket may ask for, bytes"),
          new KeySpec("net.core.optmem_max", 1, 256, INT, "ancillary buffer per socket, bytes"),
          new KeySpec("net.core.somaxconn", 1, 1, INT, "listen backlog limit (per namespace)"),
          new KeySpec("net.core.rps_sock_flow_entries", 1, 0, INT, "RFS global flow table size"),
          new KeySpec(
              "net.ipv4.udp_mem", 3, 1, Long.MAX_VALUE, "UDP memory: min pressure max, pages"),
          new KeySpec(
              "net.ipv4.udp_rmem_min", 1, 1, INT, "minimum UDP receive buffer under pressure"),
          new KeySpec("net.ipv4.udp_wmem_min", 1, 1, INT, "minimum UDP send buffer under pressure"),
          new KeySpec(
              "net.ipv4.tcp_mem", 3, 1, Long.MAX_VALUE, "TCP memory: min pressure max, pages"),
          new KeySpec("net.ipv4.tcp_rmem", 3, 1, INT, "TCP receive buffer min default max, bytes"),
          new KeySpec("net.ipv4.tcp_wmem", 3, 1, INT, "TCP send buffer min default max, bytes"),
          new KeySpec(
              "net.netfilter.nf_conntrack_max",
              1,
              1,
              INT,
              "connection tracking entries a namespace may hold (node-wide limit, 0 would lift it)"),
          new KeySpec("net.ipv4.ip_local_port_range", 2, 1, 65535, "ephemeral port range"),
          new KeySpec("net.ipv4.ip_forward", 1, 0, 1, "IPv4 forwarding (per namespace)"),
          new KeySpec(
              "net.ipv6.route.max_size", 1, 1, INT, "IPv6 route cache limit (per namespace)"),
          new KeySpec(
              "net.ipv6.route.gc_thresh", 1, 0, INT, "IPv6 route GC threshold (per namespace)"),
          new KeySpec(
              "net.ipv6.conf.*.accept_dad",
              1,
              0,
              2,
              "duplicate address detection: 0 off, 1 on, 2 on and disable IPv6 on failure"),
          new KeySpec(
              "net.ipv6.conf.*.dad_transmits",
              1,
              0,
              10,
              "DAD probes per address (each waits retrans_time)"),
          new KeySpec(
              "net.ipv6.conf.*.optimistic_dad", 1, 0, 1, "use addresses while DAD runs (RFC 4429)"),
          new KeySpec(
              "net.ipv6.conf.*.enhanced_dad",
              1,
              0,
              1,
              "RFC 7527 enhanced DAD (loopback detection)"),
          new KeySpec("net.ipv6.conf.*.accept_ra", 1, 0, 2, "accept router advertisements"),
          new KeySpec("net.ipv6.conf.*.forwarding", 1, 0, 1, "IPv6 forwarding"),
          new KeySpec("net.ipv6.conf.*.disable_ipv6", 1, 0, 1, "disable IPv6 on the interface"),
          new KeySpec(
              "net.ipv6.conf.*.keep_addr_on_down",
              1,
              -1,
              1,
              "keep global addresses when the link goes down"),
          new KeySpec("net.ipv4.conf.*.arp_announce", 1, 0, 2, "ARP source address selection"),
          new KeySpec("net.ipv4.conf.*.arp_ignore", 1, 0, 8, "ARP reply mode"),
          new KeySpec("net.ipv4.conf.*.rp_filter", 1, 0, 2, "reverse path filter"),
          new KeySpec(
              "fs.inotify.max_user_instances",
              1,
              1,
              INT,
              "inotify instances per user (kubelet, containerd)"),
          new KeySpec("fs.inotify.max_user_watches", 1, 1, INT, "inotify watches per user"),
          new KeySpec("fs.file-max", 1, 1, Long.MAX_VALUE, "open files on the node"),
          new KeySpec("kernel.pid_max", 1, 301, 4194304, "largest PID (pods × processes)"),
          new KeySpec("kernel.threads-max", 1, 20, INT, "threads on the node"));

  private SysctlCatalog() {}

  /** The spec of a key, if the catalog knows it. */
  public static Optional<KeySpec> find(String key) {
    return SPECS.stream().filter(s -> s.matches(key)).findFirst();
  }

  public static List<KeySpec> all() {
    return SPECS;
  }
}
