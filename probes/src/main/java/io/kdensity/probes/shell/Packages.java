package io.kdensity.probes.shell;

import java.util.Map;

/** Which Debian package provides the programs kdensity runs. */
public final class Packages {
  private static final Map<String, String> BY_PROGRAM =
      Map.ofEntries(
          Map.entry("ip", "iproute2"),
          Map.entry("bridge", "iproute2"),
          Map.entry("ss", "iproute2"),
          Map.entry("ethtool", "ethtool"),
          Map.entry("ping", "iputils-ping"),
          Map.entry("fping", "fping"),
          Map.entry("radvd", "radvd"),
          Map.entry("nft", "nftables"),
          Map.entry("nsenter", "util-linux"),
          Map.entry("sysctl", "procps"),
          Map.entry("cat", "coreutils"),
          Map.entry("sleep", "coreutils"),
          Map.entry("sh", "dash"),
          Map.entry("chromium", "chromium"));

  private Packages() {}

  /** The Debian package providing {@code program} (a bare name or a path), or a best guess. */
  public static String providing(String program) {
    String name = program.substring(program.lastIndexOf('/') + 1);
    if (program.contains("/cni/")) {
      return "containernetworking-plugins";
    }
    return BY_PROGRAM.getOrDefault(name, name);
  }
}
