package io.kdensity.scale.targets.kube;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** A resource the scheduler fits pods by: its name, what kdensity's pods request, how it reads. */
enum PodResource {
  CPU(
      "cpu",
      PodSpecs.CPU_REQUEST,
      DaemonSetNode.CPU_REQUEST,
      BigDecimal.valueOf(1000),
      "millicores"),
  MEMORY(
      "memory",
      PodSpecs.MEMORY_REQUEST,
      DaemonSetNode.MEMORY_REQUEST,
      BigDecimal.ONE.divide(BigDecimal.valueOf(1024 * 1024)),
      "MiB");

  private final String key;
  private final String runPod;
  private final String probePod;
  private final BigDecimal scale;
  private final String unit;

  PodResource(String key, String runPod, String probePod, BigDecimal scale, String unit) {
    this.key = key;
    this.runPod = runPod;
    this.probePod = probePod;
    this.scale = scale;
    this.unit = unit;
  }

  /** The name in a node's allocatable and a container's requests. */
  String key() {
    return key;
  }

  /** What each of the run's pods requests ({@link PodSpecs}). */
  String runPodRequest() {
    return runPod;
  }

  /** What kdensity's probe pod requests ({@link DaemonSetNode}). */
  String probePodRequest() {
    return probePod;
  }

  /** The unit {@link #in} gives: millicores, MiB. */
  String unit() {
    return unit;
  }

  /** An amount in the quantity's base unit (cores, bytes) in {@link #unit}, rounded down. */
  long in(BigDecimal amount) {
    return amount.multiply(scale).setScale(0, RoundingMode.DOWN).longValue();
  }

  /** An amount as a quantity is written: "100m", "64 MiB". */
  String show(BigDecimal amount) {
    return this == CPU ? in(amount) + "m" : in(amount) + " MiB";
  }
}
