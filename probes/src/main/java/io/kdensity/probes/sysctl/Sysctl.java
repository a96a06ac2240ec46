package io.kdensity.probes.sysctl;

import java.util.ArrayList;
import java.util.List;

/**
 * A kernel parameter key ({@code net.ipv6.neigh.default.gc_thresh3}) and its {@code /proc/sys}
 * path. Keys use dots; a path segment that itself contains a dot (an interface named {@code
 * eth0.100}) is written with a slash instead, as {@code sysctl} does.
 */
public record Sysctl(String key) {

  public Sysctl {
    if (key == null
        || key.isBlank()
        || key.startsWith(".")
        || key.endsWith(".")
        || key.contains("..")) {
      throw new IllegalArgumentException("not a sysctl key: '" + key + "'");
    }
  }

  /** The file under {@code /proc/sys} that holds this parameter. */
  public String path() {
    if (key.contains("/")) {
      return "/proc/sys/" + key;
    }
    return "/proc/sys/" + key.replace('.', '/');
  }

  /**
   * Whether the parameter is node-wide (shared by every network namespace and settable only from
   * the root namespace) rather than per network namespace.
   */
  public boolean nodeWide() {
    return NODE_WIDE_PREFIXES.stream().anyMatch(key::startsWith) && !PER_NETNS.contains(key);
  }

  private static final List<String> NODE_WIDE_PREFIXES =
      List.of(
          "net.ipv4.neigh.default.gc_",
          "net.ipv6.neigh.default.gc_",
          "net.core.",
          "net.ipv4.udp_mem",
          "net.ipv4.tcp_mem",
          "net.ipv4.route.max_size",
          "fs.",
          "kernel.",
          "vm.",
          "user.");

  /** net.core keys that are per network namespace (all others under net.core are global). */
  private static final List<String> PER_NETNS =
      List.of("net.core.somaxconn", "net.core.xfrm_aevent_etime", "net.core.xfrm_acq_expires");

  /** Splits a value the way the kernel prints vectors ({@code "4096 131072 6291456"}). */
  public static List<String> tokens(String value) {
    List<String> out = new ArrayList<>();
    for (String t : value.trim().split("\\s+")) {
      if (!t.isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }
}
