package io.kdensity.probes.probe;

import io.kdensity.probes.shell.NodeShell;
import java.util.List;
import java.util.Map;

/**
 * Where probes look on one node.
 *
 * @param host the node's root network namespace: node-wide neighbour statistics, softnet, CPU
 *     times, node-wide sysctls
 * @param node the namespace that holds the pods' host-side links and the uplinks (equal to {@code
 *     host} on a real node; the emulated node's namespace on the local target)
 * @param l2Domains namespaces whose bridges are inspected for MAC learning and port counts (the
 *     node, and on the local target the fabric that plays the top-of-rack switch)
 * @param pods pod namespaces and their declared interfaces
 * @param socketNamespaces namespaces whose socket counters are summed (where traffic runs)
 * @param datapathNamespaces namespaces on the pods' datapath that the run owns entirely (the
 *     emulated node and fabric): a step measures only once every address in them has finished
 *     duplicate address detection, since a host-side veth whose link-local address is still
 *     tentative cannot resolve its pod. Empty on a cluster, whose root namespace holds interfaces
 *     the run does not own (a NIC port without carrier stays tentative for ever).
 * @param capacities declared hardware limits
 * @param facts CPU and kernel facts
 * @param reachability address → answered, from this step's traffic (empty before traffic)
 */
public record ProbeScope(
    NodeShell host,
    NodeShell node,
    List<NodeShell> l2Domains,
    List<PodView> pods,
    List<NodeShell> socketNamespaces,
    List<NodeShell> datapathNamespaces,
    Capacities capacities,
    NodeFacts facts,
    Map<String, Boolean> reachability) {

  public ProbeScope {
    l2Domains = List.copyOf(l2Domains);
    pods = List.copyOf(pods);
    socketNamespaces = List.copyOf(socketNamespaces);
    datapathNamespaces = List.copyOf(datapathNamespaces);
    reachability = Map.copyOf(reachability);
  }

  /** The same scope with reachability results of the step's traffic. */
  public ProbeScope withReachability(Map<String, Boolean> r) {
    return new ProbeScope(
        host, node, l2Domains, pods, socketNamespaces, datapathNamespaces, capacities, facts, r);
  }

  /** Number of pod interfaces declared (the step's interface count). */
  public int interfaceCount() {
    return pods.stream().mapToInt(p -> p.interfaces().size()).sum();
  }
}
