package io.kdensity.probes.finding;

/**
 * Which part of the system a finding's cause lives in. A knee is the node's limit only when its
 * cause is in the node's kernel; a knee set by the control plane, the kubelet or IPAM is reported
 * as theirs, so a tuning of the node is not sought where none would help.
 */
public enum Layer {
  /** The node's kernel datapath: tables, buffers, CPU budgets, bridges, NIC filters. */
  NODE_KERNEL("the node's kernel", "a limit of the node's kernel"),
  /** The CNI plugins and Multus: ADD failures, interfaces missing from network-status. */
  CNI("the CNI plugins", "a failure of the CNI plugins or Multus, not of the node's datapath"),
  /** IP address management: pools, leases, their locks. */
  IPAM("IPAM", "a limit of IPAM, not of the node's datapath"),
  /** The kubelet and the container runtime: admission, sandbox deadlines, pod slots. */
  KUBELET(
      "the kubelet and runtime", "a limit of the kubelet and runtime, not of the node's datapath"),
  /** The API server and the scheduler: throttling, placement. */
  CONTROL_PLANE(
      "the control plane", "a limit of the control plane (API server, scheduler), not of the node"),
  /** The plan's own rules and the run itself (SLOs, leaks and drift over a soak). */
  RUN("the run", "what the plan's rules measured");

  private final String where;
  private final String verdict;

  Layer(String where, String verdict) {
    this.where = where;
    this.verdict = verdict;
  }

  /** A few words for tables: "the node's kernel". */
  public String where() {
    return where;
  }

  /** What a knee with a cause here is, for the answer line. */
  public String verdict() {
    return verdict;
  }
}
