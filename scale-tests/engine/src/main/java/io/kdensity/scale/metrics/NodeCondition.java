package io.kdensity.scale.metrics;

import io.kdensity.probes.probe.Metric;

/**
 * A condition the kubelet reports in the Node's status, recorded at every step on a cluster: a knee
 * that comes with memory or PID pressure, or a node gone NotReady, is the kubelet's story before it
 * is the datapath's.
 */
public enum NodeCondition {
  READY("Ready", Metric.count("node.ready", "1 when the kubelet reports the node Ready")),
  MEMORY_PRESSURE(
      "MemoryPressure",
      Metric.count("node.memory_pressure", "1 when the kubelet reports memory pressure")),
  DISK_PRESSURE(
      "DiskPressure",
      Metric.count("node.disk_pressure", "1 when the kubelet reports disk pressure")),
  PID_PRESSURE(
      "PIDPressure", Metric.count("node.pid_pressure", "1 when the kubelet reports PID pressure"));

  private final String type;
  private final Metric metric;

  NodeCondition(String type, Metric metric) {
    this.type = type;
    this.metric = metric;
  }

  /** The condition's type in the Node's status. */
  public String type() {
    return type;
  }

  public Metric metric() {
    return metric;
  }

  /** Whether {@code on} is what a healthy node reports (Ready on, every pressure off). */
  public boolean healthy(boolean on) {
    return this == READY ? on : !on;
  }
}
