package io.kdensity.scale.targets.local;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.RunningProcess;
import io.kdensity.scale.targets.InfrastructureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The uplink networks' routers as a real IPv6 segment has them: each sends router advertisements
 * from its link-local address ({@code radvd}), so every pod interface learns a default router and
 * holds a neighbour entry for it (the kernel makes one from the advertisement's source link-layer
 * address option, {@code ndisc_router_discovery}). The first router is the fabric's switch bridge,
 * which already holds the gateways; a second (a redundant pair, as VRRP or two top-of-rack switches
 * have it) lives in its own namespace with a port on every switch.
 *
 * <p>Solicited advertisements go to all nodes ({@code AdvRASolicitedUnicast off}), so a router
 * never resolves a pod: its entries would be the emulation's, counted in the table the node shares.
 * Prefixes are on-link only ({@code AdvAutonomous off}): the pods' addresses stay IPAM's.
 */
final class AdvertisingRouters implements AutoCloseable {
  /** A radvd that rejects its configuration or interfaces exits within this. */
  static final Duration START_CHECK = Duration.ofMillis(500);

  private final List<RunningProcess> daemons = new ArrayList<>();

  private AdvertisingRouters() {}

  /**
   * The radvd configuration for routers on the given interfaces.
   *
   * @param interfaces interface name → the IPv6 prefixes on its segment (CIDR)
   */
  static String config(Map<String, List<String>> interfaces) {
    StringBuilder b = new StringBuilder("# written by kdensity for one run\n");
    interfaces.forEach(
        (ifname, prefixes) -> {
          b.append("interface ").append(ifname).append(" {\n");
          b.append("  AdvSendAdvert on;\n");
          b.append("  AdvSourceLLAddress on;\n");
          b.append("  AdvRASolicitedUnicast off;\n");
          for (String p : prefixes) {
            b.append("  prefix ").append(p).append(" { AdvOnLink on; AdvAutonomous off; };\n");
          }
          b.append("};\n");
        });
    return b.toString();
  }

  /** The IPv6 prefixes (network/length) of gateways given as address/length, sorted, once each. */
  static List<String> prefixes(List<String> gateways) {
    TreeSet<String> out = new TreeSet<>();
    for (String g : gateways) {
      IPAddress a = new IPAddressString(g).getAddress();
      if (a != null && a.isIPv6() && a.isPrefixed()) {
        out.add(a.toPrefixBlock().toCanonicalString());
      }
    }
    return List.copyOf(out);
  }

  /**
   * Starts {@code count} routers on the switches of the networks that have a gateway in the fabric.
   *
   * @param fabric the fabric (the first router)
   * @param second the second router's namespace, made by {@link LocalTopology}; null for one router
   * @param configDir where the configurations are written (the run's state folder)
   */
  static AdvertisingRouters start(
      LocalNames names,
      List<LocalNetwork> networks,
      int count,
      NetnsShell fabric,
      NetnsShell second,
      Path configDir) {
    Map<Integer, List<String>> gateways = new TreeMap<>();
    for (LocalNetwork n : networks) {
      if (n.gatewayInFabric()) {
        gateways.computeIfAbsent(n.uplink(), k -> new ArrayList<>()).addAll(n.gateways());
      }
    }
    AdvertisingRouters routers = new AdvertisingRouters();
    try {
      for (int r = 1; r <= count; r++) {
        Map<String, List<String>> interfaces = new TreeMap<>();
        for (Map.Entry<Integer, List<String>> e : gateways.entrySet()) {
          String ifname = r == 1 ? names.tor(e.getKey()) : names.secondRouterLink(e.getKey());
          interfaces.put(ifname, prefixes(e.getValue()));
        }
        if (interfaces.isEmpty()) {
          break;
        }
        routers.daemons.add(
            daemon(r == 1 ? fabric : second, config(interfaces), configDir.resolve("radvd-" + r)));
      }
      return routers;
    } catch (RuntimeException e) {
      routers.close();
      throw e;
    }
  }

  private static RunningProcess daemon(NetnsShell where, String config, Path base) {
    Path conf = Path.of(base + ".conf");
    try {
      // radvd refuses a configuration others may write
      Files.writeString(conf, config);
      Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (IOException e) {
      throw new InfrastructureException("cannot write " + conf + ": " + e.getMessage(), e);
    }
    RunningProcess p =
        where.start(
            Command.of(
                "radvd",
                "--nodaemon",
                "--config",
                conf.toString(),
                "--pidfile",
                base + ".pid",
                "--logmethod",
                "stderr"));
    if (p.waitFor(START_CHECK)) {
      throw new InfrastructureException(
          "radvd in " + where.describe() + " exited at start: " + p.stderr().strip());
    }
    return p;
  }

  @Override
  public void close() {
    for (RunningProcess p : daemons) {
      p.close();
    }
    daemons.clear();
  }
}
