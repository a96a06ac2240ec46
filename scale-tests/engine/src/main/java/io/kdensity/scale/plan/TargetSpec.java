package io.kdensity.scale.plan;

import io.kdensity.config.run.AttachMode;
import java.nio.file.Path;
import java.util.List;

/**
 * Where pods are ramped, with the options of that target.
 *
 * @param type local or kube
 * @param node the node under test (kube: node name; local: informational)
 * @param local options of the local node emulation
 * @param kube options of the Kubernetes target
 */
public record TargetSpec(Type type, String node, Local local, Kube kube) {

  public enum Type {
    LOCAL,
    KUBE
  }

  /**
   * @param cniDirs where the CNI plugin binaries are, searched in order
   * @param uplinks NIC ports of the emulated node (veth pairs into the fabric)
   * @param switchMacTable MAC addresses the top-of-rack switch may learn (declared)
   * @param nicUnicastFilter unicast filter slots per NIC port (declared, driver-specific)
   * @param dualStack give pods IPv4 (198.18.0.0/15) next to IPv6
   * @param attachConcurrency pods set up in parallel (kubelet creates sandboxes in parallel)
   * @param stateDir where IPAM state of runs is kept
   * @param teardown how the run's pods go at the end: {@code cni-del} calls CNI DEL for every
   *     interface (as kubelet does for a deleted pod); {@code fast} deletes the run's namespaces
   *     and its private IPAM state in bulk (as a node reset does). Scale-down during bisection
   *     always uses CNI DEL.
   * @param attach how pod interfaces are made: {@code cni} runs the real plugins (what a kubelet
   *     with Multus does, and what attach latency means); {@code netlink} creates the same kernel
   *     objects directly with batched netlink requests, for questions about the datapath only
   * @param routers routers on each uplink network that advertise themselves (router advertisements
   *     from a link-local address, as on a real IPv6 segment): 0 (none: pods hold no entry for a
   *     router's link-local), 1 (the default), or 2 (a redundant pair, as VRRP or two top-of-rack
   *     switches)
   * @param conntrack make the node's namespace track connections, as kube-proxy's or a firewall's
   *     rules make a real worker node's: an nftables rule with a {@code ct} expression registers
   *     connection tracking in it, so every flow the node's namespace sends or routes holds an
   *     entry against {@code nf_conntrack_max} until its timeout (off by default: the embedded node
   *     tracks nothing)
   */
  public record Local(
      List<Path> cniDirs,
      int uplinks,
      int switchMacTable,
      int nicUnicastFilter,
      boolean dualStack,
      int attachConcurrency,
      Path stateDir,
      Teardown teardown,
      AttachMode attach,
      int routers,
      boolean conntrack) {
    /** The most advertising routers an uplink network may have. */
    public static final int MAX_ROUTERS = 2;

    public Local {
      cniDirs = List.copyOf(cniDirs);
      if (routers < 0 || routers > MAX_ROUTERS) {
        throw new IllegalArgumentException("routers must be 0 to " + MAX_ROUTERS);
      }
    }

    /** How a local run's pods are removed at the end. */
    public enum Teardown {
      CNI_DEL,
      FAST
    }

    /** The same settings with another attach mode. */
    public Local withAttach(AttachMode mode) {
      return new Local(
          cniDirs,
          uplinks,
          switchMacTable,
          nicUnicastFilter,
          dualStack,
          attachConcurrency,
          stateDir,
          teardown,
          mode,
          routers,
          conntrack);
    }

    public static final Local DEFAULT =
        new Local(
            List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin")),
            5,
            8192,
            128,
            false,
            16,
            Path.of("/run/kdensity"),
            Teardown.CNI_DEL,
            AttachMode.CNI,
            1,
            false);
  }

  /**
   * @param kubeconfig kubeconfig file, or null for the default / in-cluster
   * @param context kubeconfig context, or null for the current one
   * @param image pod image (a pause image)
   * @param probeImage image of the privileged probe DaemonSet (needs iproute2, ethtool)
   * @param qps API requests per second
   * @param burst API burst
   * @param concurrency pod creations in flight
   * @param readyTimeoutSeconds how long a step may wait for pods to be Ready
   */
  public record Kube(
      String kubeconfig,
      String context,
      String image,
      String probeImage,
      int qps,
      int burst,
      int concurrency,
      int readyTimeoutSeconds) {
    public static final Kube DEFAULT =
        new Kube(
            null, null, "registry.k8s.io/pause:3.10", "nicolaka/netshoot:v0.13", 50, 100, 64, 300);

    /** The defaults, reached through this kubeconfig and context (nulls: the default lookup). */
    public static Kube reaching(String kubeconfig, String context) {
      return new Kube(
          kubeconfig,
          context,
          DEFAULT.image,
          DEFAULT.probeImage,
          DEFAULT.qps,
          DEFAULT.burst,
          DEFAULT.concurrency,
          DEFAULT.readyTimeoutSeconds);
    }
  }
}
