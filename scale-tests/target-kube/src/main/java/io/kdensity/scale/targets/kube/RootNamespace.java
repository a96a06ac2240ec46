package io.kdensity.scale.targets.kube;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.scale.targets.InfrastructureException;

/**
 * The node's root (init) network namespace as a privileged pod reaches it. Node-wide kernel state
 * lives only there: the neighbour limits {@code net.ipv{4,6}.neigh.default.gc_thresh*}, {@code
 * /proc/net/stat/{ndisc,arp}_cache}, {@code net.core.*} budgets. A hostNetwork pod is in it, so the
 * pod's own shell is the answer; a pod that is not (sim-cluster's node is a namespace of its
 * machine) reaches it through a process that is, with {@code nsenter -t PID -n} (the pod has the
 * host's PID namespace): PID 1, or where the node's init cannot be read (a hardened PID 1), the
 * kubelet, which always runs in the root namespace. Which shell is decided by comparing the
 * namespaces, not assumed.
 */
public final class RootNamespace {
  private RootNamespace() {}

  /**
   * @param pod the privileged hostPID pod's shell
   * @return {@code pod} itself when it is in PID 1's network namespace, else a shell entering it
   */
  static NodeShell of(NodeShell pod) {
    CommandResult r = pod.run(Command.of("sh", "-c", SCRIPT));
    String[] f = r.stdout().strip().split(" ");
    if (!r.ok() || f.length != 3) {
      throw new InfrastructureException(
          "cannot tell the node's root network namespace from "
              + pod.describe()
              + ": "
              + (r.ok() ? "unexpected output '" + r.stdout().strip() + "'" : r.firstErrorLine())
              + " (the probe pod needs hostPID)");
    }
    if (f[0].equals("-")) {
      throw new InfrastructureException(
          "cannot tell the node's root network namespace from "
              + pod.describe()
              + ": neither PID 1's nor a kubelet process's network namespace is readable (the"
              + " probe pod needs hostPID and privileges)");
    }
    if (f[1].equals(f[2])) {
      return pod;
    }
    return NetnsShell.ofProcess("the node's root namespace", Long.parseLong(f[0]), pod);
  }

  /**
   * Prints "pid its-netns own-netns" for the first of PID 1 and the kubelet processes whose network
   * namespace is readable, or "- - own-netns". A constant.
   */
  public static final String SCRIPT =
      "own=$(readlink /proc/self/ns/net) || exit 1; "
          + "for p in 1 $(grep -lx kubelet /proc/[0-9]*/comm 2>/dev/null | cut -d/ -f3); do "
          + "n=$(readlink /proc/$p/ns/net 2>/dev/null) && { echo \"$p $n $own\"; exit 0; }; done; "
          + "echo \"- - $own\"";
}
