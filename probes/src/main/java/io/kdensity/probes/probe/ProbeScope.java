package io.kdensity.probes.probe;

import io.kdensity.probes.shell.NodeShell;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * @param outsideNode namespaces on this kernel that play the world outside the node (the emulated
 *     switch and router): their neighbour entries count in the kernel's node-wide table, but a real
 *     node would not hold them, so they are reported apart. Empty on a cluster.
 * @param softirq the packet softirqs' CPU time ({@link SoftirqClock#NONE} if not measured)
 * @param drops the kernel's dropped packets by reason ({@link DropCounter#NONE} if not counted)
 * @param capacities declared hardware limits
 * @param facts CPU and kernel facts
 * @param reachability address → answered, from this step's traffic (empty before traffic)
 * @param uninspected pods the target could not look into, and why (they are not in {@code pods})
 */
public record ProbeScope(
    NodeShell host,
    NodeShell node,
    List<NodeShell> l2Domains,
    List<PodView> pods,
    List<NodeShell> socketNamespaces,
    List<NodeShell> datapathNamespaces,
    List<NodeShell> outsideNode,
    SoftirqClock softirq,
    DropCounter drops,
    Capacities capacities,
    NodeFacts facts,
    Map<String, Boolean> reachability,
    Map<String, String> uninspected) {

  public ProbeScope {
    l2Domains = List.copyOf(l2Domains);
    pods = List.copyOf(pods);
    socketNamespaces = List.copyOf(socketNamespaces);
    datapathNamespaces = List.copyOf(datapathNamespaces);
    outsideNode = List.copyOf(outsideNode);
    softirq = softirq == null ? SoftirqClock.NONE : softirq;
    drops = drops == null ? DropCounter.NONE : drops;
    reachability = Map.copyOf(reachability);
    uninspected = Map.copyOf(uninspected);
  }

  /** The same scope with reachability results of the step's traffic. */
  public ProbeScope withReachability(Map<String, Boolean> r) {
    return with(pods, r);
  }

  /** The same scope over only these pods (e.g. those a step created). */
  public ProbeScope withPods(List<PodView> only) {
    return with(only, reachability);
  }

  private ProbeScope with(List<PodView> p, Map<String, Boolean> r) {
    return new ProbeScope(
        host,
        node,
        l2Domains,
        p,
        socketNamespaces,
        datapathNamespaces,
        outsideNode,
        softirq,
        drops,
        capacities,
        facts,
        r,
        uninspected);
  }

  /**
   * Every namespace the run knows, each once (shells compared by identity), labelled: the host's,
   * the node's, the emulated outside's and the socket namespaces as {@code ns DESCRIPTION}, then
   * the pods' as {@code pod NAME}.
   */
  public Map<String, NodeShell> knownNamespaces() {
    Set<NodeShell> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Map<String, NodeShell> out = new LinkedHashMap<>();
    List<NodeShell> infra = new ArrayList<>(List.of(host, node));
    infra.addAll(outsideNode);
    infra.addAll(socketNamespaces);
    for (NodeShell ns : infra) {
      if (seen.add(ns)) {
        out.put("ns " + ns.describe(), ns);
      }
    }
    for (PodView p : pods) {
      if (seen.add(p.shell())) {
        out.put("pod " + p.name(), p.shell());
      }
    }
    return out;
  }

  /** Number of pod interfaces declared (the step's interface count). */
  public int interfaceCount() {
    return pods.stream().mapToInt(p -> p.interfaces().size()).sum();
  }

  /** A scope of {@code host} and {@code node}; everything else empty unless set. */
  public static Builder builder(NodeShell host, NodeShell node) {
    return new Builder(host, node);
  }

  /** Builds a scope; lists default to empty, capacities to {@link Capacities#DEFAULT}. */
  public static final class Builder {
    private final NodeShell host;
    private final NodeShell node;
    private List<NodeShell> l2Domains = List.of();
    private List<PodView> pods = List.of();
    private List<NodeShell> socketNamespaces = List.of();
    private List<NodeShell> datapathNamespaces = List.of();
    private List<NodeShell> outsideNode = List.of();
    private SoftirqClock softirq = SoftirqClock.NONE;
    private DropCounter drops = DropCounter.NONE;
    private Capacities capacities = Capacities.DEFAULT;
    private NodeFacts facts = NodeFacts.UNKNOWN;
    private Map<String, String> uninspected = Map.of();

    private Builder(NodeShell host, NodeShell node) {
      this.host = host;
      this.node = node;
    }

    public Builder l2Domains(List<NodeShell> l) {
      this.l2Domains = l;
      return this;
    }

    public Builder pods(List<PodView> l) {
      this.pods = l;
      return this;
    }

    public Builder socketNamespaces(List<NodeShell> l) {
      this.socketNamespaces = l;
      return this;
    }

    public Builder datapathNamespaces(List<NodeShell> l) {
      this.datapathNamespaces = l;
      return this;
    }

    public Builder outsideNode(List<NodeShell> l) {
      this.outsideNode = l;
      return this;
    }

    public Builder softirq(SoftirqClock c) {
      this.softirq = c;
      return this;
    }

    public Builder drops(DropCounter d) {
      this.drops = d;
      return this;
    }

    public Builder capacities(Capacities c) {
      this.capacities = c;
      return this;
    }

    public Builder facts(NodeFacts f) {
      this.facts = f;
      return this;
    }

    public Builder uninspected(Map<String, String> u) {
      this.uninspected = u;
      return this;
    }

    public ProbeScope build() {
      return new ProbeScope(
          host,
          node,
          l2Domains,
          pods,
          socketNamespaces,
          datapathNamespaces,
          outsideNode,
          softirq,
          drops,
          capacities,
          facts,
          Map.of(),
          uninspected);
    }
  }
}
