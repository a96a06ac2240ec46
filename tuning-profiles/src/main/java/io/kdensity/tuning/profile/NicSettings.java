package io.kdensity.tuning.profile;

import java.util.Map;

/**
 * Settings for the network interfaces whose names match a glob, in the node's network namespace.
 *
 * @param match interface name glob, e.g. {@code kd-*-up*} or {@code ens*}
 * @param settings setting name → value: {@code rings.rx}, {@code rings.tx}, {@code
 *     channels.combined}, {@code channels.rx}, {@code channels.tx}, {@code
 *     offloads.gro|gso|tso|lro} (on/off), {@code coalesce.rx-usecs}, {@code coalesce.tx-usecs},
 *     {@code txqueuelen}, {@code mtu}, {@code rps_cpus}, {@code xps_cpus} (hex CPU masks)
 * @param reason why
 * @param origin {@code file:line}
 */
public record NicSettings(
    String match, Map<String, String> settings, String reason, String origin) {
  public NicSettings {
    settings = Map.copyOf(settings);
  }

  /** Whether {@code ifname} matches the glob ({@code *} and {@code ?}). */
  public boolean matches(String ifname) {
    return ifname.matches("\\Q" + match.replace("*", "\\E.*\\Q").replace("?", "\\E.\\Q") + "\\E");
  }
}
