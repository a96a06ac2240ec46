package io.kdensity.scale.targets.local;

import io.kdensity.probes.link.IpLinkParser;
import io.kdensity.probes.link.LinkInfo;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.targets.InfrastructureException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/**
 * The local target's emulated worker node on its own, for a driver other than the local target
 * (sim-cluster's kubelet): the node and fabric namespaces with the uplinks and switch bridges
 * ({@link LocalTopology}), the CNI plugins as they run in the node, the emulated router's gateways
 * and neighbour entries, and the cleanup of everything named {@code kd-<runid>-…}.
 *
 * <pre>{@code
 * try (EmbeddedNode node = EmbeddedNode.start(LocalNames.random(), new LocalShell(), spec)) {
 *   node.addNamespaces(List.of(sandbox));
 *   CniResult r = node.cni().add(id, "/run/netns/" + sandbox, "eth0", "ptp", config, args);
 * }
 * }</pre>
 */
public final class EmbeddedNode implements AutoCloseable {
  private final LocalNames names;
  private final LocalShell host;
  private final TargetSpec.Local spec;
  private final LocalTopology topology;
  private final CniInvoker cni;
  private final Path stateDir;
  private volatile boolean closed;

  private EmbeddedNode(LocalNames names, LocalShell host, TargetSpec.Local spec) {
    this.names = names;
    this.host = host;
    this.spec = spec;
    this.topology = new LocalTopology(names, spec, host);
    this.cni = new CniInvoker(topology.node(), spec.cniDirs());
    this.stateDir = spec.stateDir().resolve(names.runId());
  }

  /**
   * Creates the node, its {@code spec.uplinks()} uplinks and the fabric, and marks the run as alive
   * (its owner pid) so that {@code kdensity cleanup} leaves it alone.
   *
   * @throws InfrastructureException if the node cannot be made (what was made is removed)
   */
  public static EmbeddedNode start(LocalNames names, LocalShell host, TargetSpec.Local spec) {
    EmbeddedNode n = new EmbeddedNode(names, host, spec);
    try {
      Files.createDirectories(n.stateDir.resolve("ipam"));
      Files.writeString(
          n.stateDir.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));
      n.topology.create(List.of());
    } catch (IOException e) {
      n.close();
      throw new InfrastructureException("cannot create " + n.stateDir + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      n.close();
      throw e;
    }
    return n;
  }

  public LocalNames names() {
    return names;
  }

  public LocalShell host() {
    return host;
  }

  /** The node's network namespace: its NICs, the pods' host-side links, the routes to pods. */
  public NetnsShell node() {
    return topology.node();
  }

  /**
   * The namespace that plays the world outside the node (the top-of-rack switch and the router):
   * its neighbour entries are in this kernel's node-wide table but are not the node's.
   */
  public String outsideNamespace() {
    return names.fabric();
  }

  /** The CNI plugins, run in the node's namespace. */
  public CniInvoker cni() {
    return cni;
  }

  /** The node's NIC ports (uplinks), by index. */
  public List<String> uplinks() {
    return IntStream.range(0, spec.uplinks()).mapToObj(names::uplink).toList();
  }

  /** Where this node keeps private state (IPAM data); removed on close. */
  public Path stateDir() {
    return stateDir;
  }

  /** Creates network namespaces (names must be this node's: {@code kd-<runid>-…}). */
  public void addNamespaces(List<String> namespaces) {
    namespaces.forEach(LocalTarget::requireOwned);
    StringBuilder b = new StringBuilder();
    namespaces.forEach(n -> b.append("netns add ").append(n).append('\n'));
    LocalTopology.batch(host, b.toString(), "create pod namespaces");
  }

  /** Deletes network namespaces; the kernel frees their links later ({@link #awaitLinksGone}). */
  public void deleteNamespaces(List<String> namespaces) {
    namespaces.forEach(LocalTarget::requireOwned);
    StringBuilder b = new StringBuilder();
    namespaces.forEach(n -> b.append("netns del ").append(n).append('\n'));
    host.run(
        Command.of("ip", "-force", "-batch", "-")
            .withStdin(b.toString())
            .withTimeout(LocalTopology.BATCH_TIMEOUT));
  }

  /** Waits until none of these links is left in the node (a deleted namespace's veth peers). */
  public void awaitLinksGone(Set<String> nodeLinks, Duration atMost) {
    if (nodeLinks.isEmpty()) {
      return;
    }
    Awaitility.await("the node's links of removed pods to disappear")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              var r = node().run(Command.of("ip", "-j", "link"));
              for (LinkInfo l : IpLinkParser.parse(r.stdout(), "ip -j link in the node")) {
                if (nodeLinks.contains(l.name())) {
                  return false;
                }
              }
              return true;
            });
  }

  /** The uplink index of a NIC port name, or -1 if it is not one of this node's. */
  public int uplinkIndex(String nic) {
    return uplinks().indexOf(nic);
  }

  /** Puts gateway addresses (with prefix length) on the router behind uplink {@code k}. */
  public void addGateways(int uplink, List<String> gateways) {
    topology.addGateways(uplink, gateways);
  }

  /**
   * Programs the router's neighbour entries for an interface behind uplink {@code k} as permanent,
   * as the local target does for its pods (see {@link LocalTopology#pinRouterEntries}).
   */
  public void pinRouterEntry(int uplink, String mac, List<String> addresses) {
    topology.pin(List.of(topology.routerEntry(uplink, mac, addresses)));
  }

  /** Removes what {@link #pinRouterEntry} programmed. */
  public void unpinRouterEntry(int uplink, String mac, List<String> addresses) {
    topology.unpin(List.of(topology.routerEntry(uplink, mac, addresses)));
  }

  /** Removes every namespace, link and state file of this node, and waits until they are freed. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    new LocalCleanup(host).removeRun(names.runId());
    LocalCleanup.deleteTree(stateDir);
  }
}
