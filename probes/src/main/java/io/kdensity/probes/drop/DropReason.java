package io.kdensity.probes.drop;

import io.kdensity.probes.finding.FindingCode;
import io.kdensity.probes.probe.Metric;
import java.util.Set;

/**
 * The kernel drop reasons kdensity counts one by one ({@code enum skb_drop_reason} in {@code
 * include/net/dropreason-core.h}, named without the {@code SKB_DROP_REASON_} prefix), each with the
 * findings it is evidence for. Drops of every other reason are counted together.
 */
public enum DropReason {
  /** {@code enqueue_to_backlog}: the CPU's input backlog held {@code netdev_max_backlog}. */
  CPU_BACKLOG("a CPU's input backlog was full (netdev_max_backlog)", FindingCode.SOFTNET_DROPS),
  /** {@code __udp_enqueue_schedule_skb}, {@code sock_queue_rcv_skb}: {@code sk_rcvbuf} reached. */
  SOCKET_RCVBUFF("a socket's receive buffer was full", FindingCode.SOCKET_RCVBUF_ERRORS),
  /** The protocol's memory limit ({@code udp_mem}, {@code tcp_mem}) was reached. */
  PROTO_MEM(
      "the protocol's memory limit was reached (udp_mem, tcp_mem)",
      FindingCode.SOCKET_RCVBUF_ERRORS),
  /** A socket's backlog (held while a process owned the socket) was full. */
  SOCKET_BACKLOG("a socket's backlog was full", FindingCode.SOCKET_RCVBUF_ERRORS),
  /** {@code ip_finish_output2}/{@code ip6_finish_output2}: {@code __neigh_create} failed. */
  NEIGH_CREATEFAIL(
      "no neighbour entry could be made (the table was full)",
      FindingCode.NEIGH_TABLE_OVERFLOW,
      FindingCode.IP_LOSS),
  /** {@code neigh_invalidate}: resolution failed, the packets it queued are dropped. */
  NEIGH_FAILED("neighbour resolution failed", FindingCode.IP_LOSS),
  /** {@code __neigh_event_send}: the unresolved entry's queue held {@code unres_qlen_bytes}. */
  NEIGH_QUEUEFULL(
      "an unresolved neighbour's queue was full (unres_qlen_bytes)", FindingCode.IP_LOSS),
  /** The entry was being removed while a packet waited on it. */
  NEIGH_DEAD("the neighbour entry was being removed", FindingCode.IP_LOSS),
  /** No route out. */
  IP_OUTNOROUTES("no route out", FindingCode.IP_LOSS),
  /** No route for a received packet. */
  IP_INNOROUTES("no route for a received packet", FindingCode.IP_LOSS),
  /** {@code ip_rcv_core}: a frame for another host's MAC, as a promiscuous port receives. */
  OTHERHOST(
      "a frame for another host's MAC (a promiscuous port)", FindingCode.NIC_PROMISC_FALLBACK),
  /** A queueing discipline dropped it. */
  QDISC_DROP("a queueing discipline dropped it"),
  /** No socket was bound to the destination port. */
  NO_SOCKET("no socket on the destination port"),
  /** The device was not up (e.g. a veth whose peer is down). */
  DEV_READY("the device was not ready"),
  /** Memory allocation failed. */
  NOMEM("memory allocation failed"),
  /** IPv6 is disabled on the device. */
  IPV6DISABLED("IPv6 disabled on the device"),
  /** The dropping code gave no reason. */
  NOT_SPECIFIED("no reason given by the code that dropped it");

  private final String description;
  private final Set<FindingCode> evidenceFor;
  private final Metric metric;

  DropReason(String description, FindingCode... evidenceFor) {
    this.description = description;
    this.evidenceFor = Set.of(evidenceFor);
    this.metric = Metric.count("drops." + name(), "packets dropped because " + description);
  }

  /** What the kernel means by it, in a few words. */
  public String description() {
    return description;
  }

  /** The metric that carries this reason's drops of a step. */
  public Metric metric() {
    return metric;
  }

  /** Whether drops of this reason are evidence for findings of {@code code}. */
  public boolean explains(FindingCode code) {
    return evidenceFor.contains(code);
  }
}
