package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Which pod sysctls a node's kubelet admits: the safe ones, and the unsafe ones its {@code
 * allowedUnsafeSysctls} allows (names, or patterns ending in {@code *}). A pod with any other
 * sysctl is refused by the kubelet with {@code SysctlForbidden} (pkg/kubelet/sysctl/allowlist.go).
 *
 * @param allowedUnsafe the kubelet's {@code allowedUnsafeSysctls}
 */
record KubeletSysctls(List<String> allowedUnsafe) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * A sysctl the kubelet allows without configuration, from the minor release that added it to
   * pkg/kubelet/sysctl/safe_sysctls.go (on a kernel that namespaces it; every supported kernel
   * does).
   */
  record Safe(String name, int sinceMinor) {}

  static final List<Safe> SAFE =
      List.of(
          new Safe("kernel.shm_rmid_forced", 0),
          new Safe("net.ipv4.ip_local_port_range", 0),
          new Safe("net.ipv4.tcp_syncookies", 0),
          new Safe("net.ipv4.ping_group_range", 18),
          new Safe("net.ipv4.ip_unprivileged_port_start", 22),
          new Safe("net.ipv4.ip_local_reserved_ports", 27),
          new Safe("net.ipv4.tcp_keepalive_time", 29),
          new Safe("net.ipv4.tcp_fin_timeout", 29),
          new Safe("net.ipv4.tcp_keepalive_intvl", 29),
          new Safe("net.ipv4.tcp_keepalive_probes", 29),
          new Safe("net.ipv4.tcp_rmem", 32),
          new Safe("net.ipv4.tcp_wmem", 32));

  private static final Pattern VERSION = Pattern.compile("v?1\\.(\\d+)(\\..*)?");

  KubeletSysctls {
    allowedUnsafe = List.copyOf(allowedUnsafe);
  }

  /**
   * The safe sysctls of a kubelet version as the node reports it ({@code v1.31.4}, {@code
   * v1.30.2+k3s1}); all that the newest release knows when the version is unknown.
   */
  static List<String> safe(String kubeletVersion) {
    Matcher m = VERSION.matcher(kubeletVersion == null ? "" : kubeletVersion.strip());
    int minor = m.matches() ? Integer.parseInt(m.group(1)) : Integer.MAX_VALUE;
    return SAFE.stream().filter(s -> s.sinceMinor() <= minor).map(Safe::name).toList();
  }

  /**
   * Sysctls a kubelet of this version must be told to allow before it runs a pod that sets them.
   */
  static List<String> unsafe(Collection<String> keys, String kubeletVersion) {
    List<String> safe = safe(kubeletVersion);
    return keys.stream().filter(k -> !safe.contains(k)).sorted().toList();
  }

  /** Those of {@code keys} a kubelet of this version with this allow-list refuses. */
  List<String> forbidden(Collection<String> keys, String kubeletVersion) {
    return unsafe(keys, kubeletVersion).stream()
        .filter(k -> allowedUnsafe.stream().noneMatch(p -> matches(p, k)))
        .toList();
  }

  private static boolean matches(String pattern, String key) {
    return pattern.endsWith("*")
        ? key.startsWith(pattern.substring(0, pattern.length() - 1))
        : pattern.equals(key);
  }

  /**
   * The running configuration of the node's kubelet, read through the API server's node proxy
   * ({@code GET /api/v1/nodes/NODE/proxy/configz}, which answers {@code {"kubeletconfig": {...}}};
   * needs {@code get nodes/proxy}). Empty, with the reason, if it cannot be read.
   */
  static Reading read(KubernetesClient client, String node) {
    String body;
    try {
      body = client.raw("/api/v1/nodes/" + node + "/proxy/configz");
    } catch (KubernetesClientException e) {
      return Reading.unreadable(
          e.getCode() == 403
              ? "reading it needs `get nodes/proxy`, which this identity lacks"
              : "the node proxy answered " + e.getCode() + ": " + e.getMessage());
    }
    if (body == null) {
      return Reading.unreadable("the node proxy has no /configz for this node");
    }
    try {
      JsonNode config = JSON.readTree(body).path("kubeletconfig");
      if (!config.isObject()) {
        return Reading.unreadable("/configz holds no kubeletconfig");
      }
      List<String> allowed =
          config.path("allowedUnsafeSysctls").valueStream().map(JsonNode::asString).toList();
      return new Reading(Optional.of(new KubeletSysctls(allowed)), "");
    } catch (JacksonException e) {
      return Reading.unreadable("/configz is not JSON: " + e.getOriginalMessage());
    }
  }

  /**
   * @param sysctls the kubelet's allow-list, if it could be read
   * @param whyNot why not, otherwise
   */
  record Reading(Optional<KubeletSysctls> sysctls, String whyNot) {
    static Reading unreadable(String why) {
      return new Reading(Optional.empty(), why);
    }
  }
}
