package io.kdensity.scale.metrics;

import io.kdensity.probes.probe.Metric;

/**
 * Kernel and runtime objects a run creates per pod and must free again when a pod goes: at a
 * constant pod count their number stays flat, so a count that keeps rising under churn is a leak.
 * Each owns the step metric that carries its count.
 */
public enum NodeObject {
  /** The run's network namespaces (one per pod, plus the node's and the fabric's). */
  NAMESPACES(Metric.count("objects.netns", "network namespaces of the run")),
  /** Links in the node's network namespace (pod veth peers, bridges, uplinks). */
  NODE_LINKS(Metric.count("objects.node_links", "links in the node's network namespace")),
  /**
   * Routes in the node's network namespace outside the kernel's {@code local} table (the ones a
   * plugin adds for a pod, and each link's prefix routes). The {@code local} table is left out: its
   * address routes come back only when a re-upped link's address finished DAD, so its count lags a
   * flap.
   */
  NODE_ROUTES(
      Metric.count(
          "objects.node_routes", "routes in the node's network namespace, local table excluded")),
  /**
   * Addresses the IPAM plugin holds as allocated for the run's pods: host-local's lease files (all
   * networks) on the local target, whereabouts' IPPool allocations on a cluster.
   */
  IPAM_LEASES(
      Metric.count("objects.ipam_leases", "addresses IPAM holds as allocated for the run's pods"));

  private final Metric metric;

  NodeObject(Metric metric) {
    this.metric = metric;
  }

  public Metric metric() {
    return metric;
  }
}
