package io.kdensity.probes.sysctl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A kernel parameter key ({@code net.ipv6.neigh.default.gc_thresh3}) and its {@code /proc/sys}
 * path. Keys use dots; a path segment that itself contains a dot (an interface named {@code
 * eth0.100}) is written with a slash instead, as {@code sysctl} does.
 */
public record Sysctl(String key) {
  /** A segment of a dotted key: letters, digits, underscore and dash (interface names). */
  private static final Pattern DOTTED = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");

  /** The slash form, whose segments may hold dots ({@code eth0.100}) but are never . or .. */
  private static final Pattern SLASHED = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

  /**
   * @throws IllegalArgumentException for anything but letters, digits, {@code _ - .} in segments: a
   *     key becomes a file path under {@code /proc/sys}, so it must never climb out of it
   */
  public Sysctl {
    boolean ok =
        key != null
            && (key.contains("/")
                ? SLASHED.matcher(key).matches()
                    && Arrays.stream(key.split("/"))
                        .noneMatch(seg -> seg.equals(".") || seg.equals(".."))
                : DOTTED.matcher(key).matches());
    if (!ok) {
      throw new IllegalArgumentException(
          "not a sysctl key: '"
              + key
              + "' (segments of letters, digits, _ and -, separated by dots)");
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
          // the count is per namespace, the limit node-wide: writable in the root namespace only
          "net.netfilter.nf_conntrack_max",
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
