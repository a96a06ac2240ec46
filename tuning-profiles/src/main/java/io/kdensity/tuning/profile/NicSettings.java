package io.kdensity.tuning.profile;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Settings for the network interfaces whose names match a glob, in the node's network namespace.
 *
 * @param match interface name glob, e.g. {@code kd-*-up*} or {@code ens*}
 * @param settings setting → value ({@code on}/{@code off} for offloads, hex CPU masks for RPS/XPS,
 *     integers otherwise)
 * @param reason why
 * @param origin {@code file:line}
 */
public record NicSettings(
    String match, Map<NicSetting, String> settings, String reason, String origin) {
  public NicSettings {
    settings = settings.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(settings));
  }

  /**
   * Whether {@code ifname} matches the glob ({@code *}, {@code ?}, {@code [..]}: the JDK's glob).
   */
  public boolean matches(String ifname) {
    PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + match);
    return !ifname.contains("/") && glob.matches(Path.of(ifname));
  }
}
