package io.kdensity.scale.targets.local;

import io.kdensity.config.run.AttachMode;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.MissingToolException;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.targets.PreflightException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks, before a local run creates anything, that it can succeed: root, the tools, the CNI
 * plugins the plan uses, and the kernel features (network namespaces, veth, bridge, macvlan, ipvlan
 * if used, IPv6), tried in a scratch namespace that is removed again, and no other run's leftovers
 * on the node. Every missing piece is listed at once with the Debian package that provides it.
 */
final class LocalPreflight {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final LocalShell host;
  private final LocalNames names;
  private final CniInvoker cni;
  private final TargetSpec.Local spec;

  LocalPreflight(LocalShell host, LocalNames names, CniInvoker cni, TargetSpec.Local spec) {
    this.host = host;
    this.names = names;
    this.cni = cni;
    this.spec = spec;
  }

  void check(List<LocalNetwork> networks) {
    List<String> missing = new ArrayList<>();
    if (!isRoot()) {
      missing.add(
          "root: the local target creates network namespaces and runs CNI plugins; run as root (sudo)");
    }
    tool(missing, "ip", "-V");
    tool(missing, "bridge", "-V");
    tool(missing, "nsenter", "--version");
    tool(missing, "fping", "-v");
    if (spec.routers() > 0) {
      tool(missing, "radvd", "--version");
    }
    if (spec.conntrack()) {
      tool(missing, "nft", "--version");
    }
    Set<String> types = new LinkedHashSet<>();
    for (LocalNetwork n : networks) {
      types.add(n.type());
      String ipam = n.config().ipam().path("type").asString("");
      if (!ipam.isEmpty()) {
        types.add(ipam);
      }
    }
    // netlink mode makes the plugins' objects itself; the kernel features are still checked
    boolean plugins = spec.attach() == AttachMode.CNI;
    for (String t : types) {
      if (plugins && cni.find(t).isEmpty()) {
        missing.add(
            "CNI plugin '"
                + t
                + "' in "
                + spec.cniDirs()
                + ": apt-get install -y containernetworking-plugins");
      }
    }
    if (!Files.isDirectory(Path.of("/proc/sys/net/ipv6"))) {
      missing.add(
          "kernel feature IPv6 (CONFIG_IPV6): /proc/sys/net/ipv6 is missing; boot without ipv6.disable=1");
    }
    if (missing.stream().noneMatch(m -> m.startsWith("root") || m.contains("iproute2"))) {
      otherRuns(missing);
      kernelFeatures(missing, types);
    }
    if (!missing.isEmpty()) {
      throw new PreflightException("local target", missing);
    }
  }

  private static boolean isRoot() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("Uid:")) {
          return l.split("\\s+")[2].equals("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  private void tool(List<String> missing, String program, String versionFlag) {
    try {
      host.run(Command.of(program, versionFlag));
    } catch (MissingToolException e) {
      missing.add("`" + program + "`: apt-get install -y " + e.debianPackage());
    }
  }

  /**
   * Another run's namespaces hold neighbour entries, links and addresses in the node-global tables,
   * so a ramp started beside them would report their limit as this node's knee. This run holds the
   * node lock, so they are a crashed run's leftovers (or a run with another lock folder).
   */
  private void otherRuns(List<String> missing) {
    Set<String> others = new TreeSet<>(new LocalCleanup(host).runsPresent());
    others.remove(names.runId());
    if (!others.isEmpty()) {
      missing.add(
          "a node without other runs: kdensity run(s) "
              + String.join(", ", others)
              + " still have namespaces, links or trace instances here; their neighbour entries"
              + " count against this node's limits and would lower the knee. Remove them with"
              + " `kdensity cleanup` (it leaves a live run alone)");
    }
  }

  /** Tries each link kind in a scratch namespace, so a kernel without it is named, not guessed. */
  private void kernelFeatures(List<String> missing, Set<String> types) {
    String ns = names.preflight();
    CommandResult add = host.run(Command.of("ip", "netns", "add", ns));
    if (!add.ok()) {
      missing.add("kernel feature network namespaces (CONFIG_NET_NS): " + add.firstErrorLine());
      return;
    }
    try {
      NetnsShell sh = new NetnsShell(ns, host);
      boolean veth =
          tryLink(
              sh,
              missing,
              "veth",
              "CONFIG_VETH",
              "ip",
              "link",
              "add",
              "pv0",
              "type",
              "veth",
              "peer",
              "name",
              "pv1");
      tryLink(sh, missing, "bridge", "CONFIG_BRIDGE", "ip", "link", "add", "pb0", "type", "bridge");
      if (veth && (types.contains("macvlan"))) {
        tryLink(
            sh,
            missing,
            "macvlan",
            "CONFIG_MACVLAN",
            "ip",
            "link",
            "add",
            "link",
            "pv0",
            "name",
            "pm0",
            "type",
            "macvlan",
            "mode",
            "bridge");
      }
      if (veth && types.contains("ipvlan")) {
        tryLink(
            sh,
            missing,
            "ipvlan",
            "CONFIG_IPVLAN",
            "ip",
            "link",
            "add",
            "link",
            "pv0",
            "name",
            "pi0",
            "type",
            "ipvlan",
            "mode",
            "l2");
      }
    } finally {
      host.run(Command.of("ip", "netns", "del", ns));
    }
  }

  private static boolean tryLink(
      NetnsShell sh, List<String> missing, String kind, String config, String... argv) {
    CommandResult r = sh.run(Command.of(argv));
    if (!r.ok()) {
      missing.add(
          "kernel feature "
              + kind
              + " links ("
              + config
              + "): `"
              + String.join(" ", argv)
              + "` says: "
              + r.firstErrorLine()
              + (kind.equals("ipvlan")
                  ? " — use macvlan networks on this kernel, or load the ipvlan module"
                  : ""));
      return false;
    }
    return true;
  }
}
