package io.kdensity.scale.sim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The kubelet's sysctl admission ({@code pkg/kubelet/sysctl}): a pod's sysctls must be safe for the
 * kubelet's version ({@code safe_sysctls.go}) or match its {@code allowedUnsafeSysctls} (names, or
 * prefixes ending in {@code *}); otherwise the pod is rejected with {@code SysctlForbidden}.
 */
record SysctlAllowlist(KubeVersion version, List<String> allowedUnsafe) {
  SysctlAllowlist {
    allowedUnsafe = List.copyOf(allowedUnsafe);
  }

  /** The safe sysctls of this kubelet version. */
  List<String> safe() {
    List<String> s =
        new ArrayList<>(
            List.of(
                "kernel.shm_rmid_forced",
                "net.ipv4.ip_local_port_range",
                "net.ipv4.tcp_syncookies",
                "net.ipv4.ping_group_range",
                "net.ipv4.ip_unprivileged_port_start"));
    if (version.atLeast(1, 27)) {
      s.add("net.ipv4.ip_local_reserved_ports");
    }
    if (version.atLeast(1, 29)) {
      s.addAll(
          List.of(
              "net.ipv4.tcp_keepalive_time",
              "net.ipv4.tcp_fin_timeout",
              "net.ipv4.tcp_keepalive_intvl",
              "net.ipv4.tcp_keepalive_probes"));
    }
    if (version.atLeast(1, 32)) {
      s.addAll(List.of("net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"));
    }
    return s;
  }

  /** The first of {@code keys} the kubelet refuses, or null if it admits them all. */
  String firstForbidden(Collection<String> keys) {
    List<String> safe = safe();
    for (String k : keys) {
      if (!safe.contains(k) && allowedUnsafe.stream().noneMatch(p -> matches(p, k))) {
        return k;
      }
    }
    return null;
  }

  private static boolean matches(String pattern, String key) {
    return pattern.endsWith("*")
        ? key.startsWith(pattern.substring(0, pattern.length() - 1))
        : pattern.equals(key);
  }
}
