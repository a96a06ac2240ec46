package io.kdensity.probes.finding;

/**
 * The bottlenecks kdensity detects. Each code belongs to one bottleneck category (the grouping used
 * by reports) and names the recommendation that addresses it.
 */
public enum FindingCode {
  /** An expected address is missing, failed DAD, stayed tentative too long, or does not answer. */
  IP_LOSS("IP loss", "ip-loss"),
  /** The node-wide neighbour table refused new entries ({@code table_fulls} rose). */
  NEIGH_TABLE_OVERFLOW("Neighbour table overflow", "neigh-gc-thresh"),
  /** Learned MAC addresses exceed the declared switch/NIC table size. */
  FDB_OVER_CAPACITY("MAC table overflow", "fdb-capacity"),
  /** A NIC fell back to promiscuous mode because its unicast filter is full. */
  NIC_PROMISC_FALLBACK("NIC promiscuous fallback", "nic-promisc"),
  /** A Linux bridge reached its 1,023 port limit. */
  BRIDGE_PORT_LIMIT("Bridge port limit", "bridge-port-limit"),
  /**
   * Packets dropped because a CPU's input backlog was full, or an uplink's macvlan/ipvlan broadcast
   * queue, which a kernel worker drains.
   */
  SOFTNET_DROPS("CPU packet budget", "netdev-backlog"),
  /** NET_RX processing ran out of budget or time and had to stop early. */
  SOFTNET_TIME_SQUEEZE("CPU packet budget", "netdev-budget"),
  /** Datagrams dropped because a socket's receive buffer was full. */
  SOCKET_RCVBUF_ERRORS("Socket buffers", "socket-rmem"),
  /** Datagrams dropped because a socket's send buffer was full. */
  SOCKET_SNDBUF_ERRORS("Socket buffers", "socket-wmem"),
  /**
   * The node namespace's connection tracking table was full ({@code nf_conntrack_max}): packets of
   * new connections dropped, or unassured entries evicted to make room.
   */
  CONNTRACK_TABLE_FULL("Connection tracking", "conntrack-max"),
  /** A CNI ADD or sandbox creation failed. */
  ATTACH_FAILED("Attach failures", "attach-failed"),
  /** Attaching interfaces took longer than the SLO allows. */
  ATTACH_SLOW("Attach failures", "cni-concurrency"),
  /**
   * Over a soak, objects the run frees with every deleted pod kept piling up at a constant pod
   * count (IPAM leases, namespaces, links).
   */
  LEAK("Leaks", "soak-leak"),
  /** Over a soak, a table, a latency, a memory figure or a drop counter kept moving one way. */
  DRIFT("Drift", "soak-drift");

  private final String category;
  private final String recommendation;

  FindingCode(String category, String recommendation) {
    this.category = category;
    this.recommendation = recommendation;
  }

  /** The bottleneck category shown in reports, e.g. "Neighbour table overflow". */
  public String category() {
    return category;
  }

  /** The id of the recommendation that addresses this finding. */
  public String recommendation() {
    return recommendation;
  }

  /**
   * Whether the finding is a consequence of other limits rather than a limit itself: lost or
   * unreachable addresses and slow attaches usually follow from a full table or an exhausted
   * budget, so a knee names the cause first.
   */
  public boolean symptom() {
    return this == IP_LOSS || this == ATTACH_SLOW;
  }
}
