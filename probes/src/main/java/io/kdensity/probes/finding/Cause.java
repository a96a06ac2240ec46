package io.kdensity.probes.finding;

/**
 * Why a finding happened, as established from evidence: the thing a recommendation acts on. Each
 * cause belongs to one {@link FindingCode}; {@link Finding} refuses a cause of another code.
 */
public enum Cause {
  /** The expected address is not configured on its interface. */
  ADDRESS_NOT_CONFIGURED(FindingCode.IP_LOSS, Layer.CNI, "not configured on its interface"),
  /** Duplicate address detection found another holder of the address. */
  DAD_FAILED(FindingCode.IP_LOSS, Layer.NODE_KERNEL, "failed duplicate address detection"),
  /** Still tentative longer than the grace period after its interface was attached. */
  STILL_TENTATIVE(FindingCode.IP_LOSS, Layer.NODE_KERNEL, "still tentative after the grace period"),
  /** Did not answer while the node's neighbour table refused entries ({@code table_fulls} rose). */
  NEIGHBOUR_REFUSED(
      FindingCode.IP_LOSS, Layer.NODE_KERNEL, "the neighbour table refused its entry"),
  /** Neighbour discovery went unanswered while packets were dropped on its path. */
  NEIGHBOUR_UNANSWERED(
      FindingCode.IP_LOSS, Layer.NODE_KERNEL, "neighbour discovery unanswered, drops on the path"),
  /** Its gateway's namespace has no route to it. */
  NO_ROUTE(FindingCode.IP_LOSS, Layer.CNI, "no route from its gateway"),
  /** Did not answer and nothing checked explains why; the evidence lists what was checked. */
  LOSS_UNEXPLAINED(FindingCode.IP_LOSS, Layer.NODE_KERNEL, "cause unknown"),

  /** The kernel refused neighbour entries: {@code table_fulls} rose. */
  NEIGHBOUR_TABLE_FULL(FindingCode.NEIGH_TABLE_OVERFLOW, Layer.NODE_KERNEL, "table_fulls rose"),
  /** Entries at or above the warning share of {@code gc_thresh3}. */
  NEIGHBOUR_TABLE_NEAR_LIMIT(
      FindingCode.NEIGH_TABLE_OVERFLOW, Layer.NODE_KERNEL, "entries near gc_thresh3"),
  /**
   * No step reached it, but the capacity model's measured costs need more than {@code gc_thresh3}
   * at the density asked ({@code predict --pods}, {@code recommend --target-pods}).
   */
  NEIGHBOUR_TABLE_PREDICTED_FULL(
      FindingCode.NEIGH_TABLE_OVERFLOW,
      Layer.NODE_KERNEL,
      "the capacity model needs more than gc_thresh3 at the density asked"),

  /** Learned MACs beyond the declared switch table. */
  SWITCH_MAC_TABLE_EXCEEDED(
      FindingCode.FDB_OVER_CAPACITY, Layer.NODE_KERNEL, "beyond the declared switch table"),
  /** Learned MACs reached the bridge's {@code fdb_max_learned}. */
  FDB_MAX_LEARNED_REACHED(
      FindingCode.FDB_OVER_CAPACITY, Layer.NODE_KERNEL, "fdb_max_learned reached"),

  /** macvlan/ipvlan MACs beyond the NIC's unicast filter, and the port went promiscuous. */
  UNICAST_FILTER_FULL(FindingCode.NIC_PROMISC_FALLBACK, Layer.NODE_KERNEL, "unicast filter full"),

  /** The bridge holds 1,023 ports; the next attach fails with "Exchange full" (EXFULL). */
  BRIDGE_FULL(FindingCode.BRIDGE_PORT_LIMIT, Layer.NODE_KERNEL, "bridge full"),
  /** The bridge is near its port limit. */
  BRIDGE_NEAR_FULL(FindingCode.BRIDGE_PORT_LIMIT, Layer.NODE_KERNEL, "bridge near its port limit"),

  /** A CPU's input backlog ({@code netdev_max_backlog}) overflowed. */
  BACKLOG_FULL(FindingCode.SOFTNET_DROPS, Layer.NODE_KERNEL, "input backlog full"),
  /**
   * A macvlan uplink's broadcast queue ({@code bc_queue}, {@code bcqueuelen}) or an ipvlan port's
   * multicast backlog was full: the uplink's {@code rx_dropped} rose.
   */
  BROADCAST_QUEUE_FULL(
      FindingCode.SOFTNET_DROPS, Layer.NODE_KERNEL, "uplink's broadcast queue full"),
  /** NET_RX ran out of {@code netdev_budget} or {@code netdev_budget_usecs} with packets left. */
  BUDGET_EXHAUSTED(FindingCode.SOFTNET_TIME_SQUEEZE, Layer.NODE_KERNEL, "NET_RX budget exhausted"),

  /** UDP datagrams dropped on full receive buffers. */
  RECEIVE_BUFFER_FULL(FindingCode.SOCKET_RCVBUF_ERRORS, Layer.NODE_KERNEL, "receive buffers full"),
  /** TCP had to prune or collapse receive queues (memory pressure), no UDP drops. */
  TCP_RECEIVE_PRUNED(
      FindingCode.SOCKET_RCVBUF_ERRORS, Layer.NODE_KERNEL, "TCP receive queues pruned"),
  /** UDP datagrams dropped on full send buffers. */
  SEND_BUFFER_FULL(FindingCode.SOCKET_SNDBUF_ERRORS, Layer.NODE_KERNEL, "send buffers full"),

  /**
   * The namespace's entries reached {@code nf_conntrack_max} and no unassured entry near the new
   * one's hash could be evicted: the packet was dropped ("nf_conntrack: table full, dropping
   * packet", the {@code drop} column of {@code /proc/net/stat/nf_conntrack}).
   */
  CONNTRACK_DROPPING(
      FindingCode.CONNTRACK_TABLE_FULL, Layer.NODE_KERNEL, "table full, packets dropped"),
  /**
   * The namespace's entries reached {@code nf_conntrack_max} and unassured entries (connections
   * that have not seen a reply, or UDP and ICMP flows) were evicted for new ones ({@code
   * early_drop}).
   */
  CONNTRACK_EVICTING(
      FindingCode.CONNTRACK_TABLE_FULL, Layer.NODE_KERNEL, "table full, entries evicted"),
  /** The namespace's entries at or above the warning share of {@code nf_conntrack_max}. */
  CONNTRACK_NEAR_LIMIT(
      FindingCode.CONNTRACK_TABLE_FULL, Layer.NODE_KERNEL, "entries near nf_conntrack_max"),

  /** The network's IPAM pool has no address left. */
  IPAM_EXHAUSTED(FindingCode.ATTACH_FAILED, Layer.IPAM, "IPAM pool exhausted"),
  /** The requested (fixed) address is already in use. */
  ADDRESS_IN_USE(FindingCode.ATTACH_FAILED, Layer.IPAM, "address already in use"),
  /** A plugin binary, its config or its master interface is missing or wrong. */
  PLUGIN_MISCONFIGURED(FindingCode.ATTACH_FAILED, Layer.CNI, "plugin or network misconfigured"),
  /** The kubelet refused a pod sysctl that is not on its allow-list. */
  SYSCTL_FORBIDDEN(
      FindingCode.ATTACH_FAILED, Layer.KUBELET, "pod sysctl not allowed by the kubelet"),
  /** The node has no pod slot left (kubelet maxPods). */
  NODE_POD_LIMIT(FindingCode.ATTACH_FAILED, Layer.KUBELET, "node pod limit reached"),
  /** The scheduler cannot place the pod on the node. */
  UNSCHEDULABLE(FindingCode.ATTACH_FAILED, Layer.CONTROL_PLANE, "pod unschedulable on the node"),
  /** The pod did not become ready within the step's timeout, with no failure reported. */
  NOT_READY_IN_TIME(FindingCode.ATTACH_FAILED, Layer.KUBELET, "not ready in time"),
  /**
   * The kubelet gave up on the sandbox ("context deadline exceeded": the runtime's CNI ADD ran past
   * the kubelet's 4-minute deadline, e.g. many networks attached serially by Multus).
   */
  SANDBOX_DEADLINE(
      FindingCode.ATTACH_FAILED, Layer.KUBELET, "sandbox creation ran past the kubelet's deadline"),
  /**
   * whereabouts could not take its pool's lock or lease in time (its leader election, the IPPool's
   * optimistic updates under contention).
   */
  IPAM_CONTENTION(FindingCode.ATTACH_FAILED, Layer.IPAM, "IPAM lock or lease contention"),
  /** The API server throttled or refused requests (429, API Priority and Fairness). */
  API_THROTTLED(FindingCode.ATTACH_FAILED, Layer.CONTROL_PLANE, "API requests throttled"),
  /**
   * The pod is Ready but its network-status lists fewer interfaces than it asked for (Multus wrote
   * none, or lost a delegate's result).
   */
  NETWORK_STATUS_MISSING(
      FindingCode.ATTACH_FAILED, Layer.CNI, "Ready without all its interfaces in network-status"),
  /** The plugin failed with a message kdensity does not classify; the message is the evidence. */
  PLUGIN_ERROR(FindingCode.ATTACH_FAILED, Layer.CNI, "the plugin failed"),

  /** An attach or pod-ready latency SLO failed. */
  LATENCY_OVER_SLO(FindingCode.ATTACH_SLOW, Layer.RUN, "latency over its SLO"),

  /** Objects of deleted pods were not freed: their count rose above the soak's first window's. */
  OBJECTS_NOT_FREED(FindingCode.LEAK, Layer.RUN, "objects of deleted pods not freed"),

  /** Table entries kept growing at a constant pod count. */
  ENTRIES_GROWING(FindingCode.DRIFT, Layer.RUN, "table entries keep growing"),
  /** Attach or ready latency kept rising. */
  LATENCY_RISING(FindingCode.DRIFT, Layer.RUN, "latency keeps rising"),
  /** kdensity's memory, threads or files, or the machine's free memory, kept moving. */
  MEMORY_GROWING(FindingCode.DRIFT, Layer.RUN, "memory keeps growing"),
  /** A drop or error counter that was still began to move in later windows. */
  COUNTER_MOVING(FindingCode.DRIFT, Layer.RUN, "drops began"),
  /** Addresses answered in the first windows and were lost later. */
  LOSS_APPEARED(FindingCode.DRIFT, Layer.RUN, "IP loss appeared later");

  private final FindingCode code;
  private final Layer layer;
  private final String summary;

  Cause(FindingCode code, Layer layer, String summary) {
    this.code = code;
    this.layer = layer;
    this.summary = summary;
  }

  /** Where the cause lives: the node's kernel, or a component around it. */
  public Layer layer() {
    return layer;
  }

  /** The finding code this cause explains. */
  public FindingCode code() {
    return code;
  }

  /** A few words for tables: "IPAM pool exhausted". */
  public String summary() {
    return summary;
  }
}
