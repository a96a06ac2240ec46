package io.kdensity.probes.cpu;

import java.util.List;
import java.util.Map;

/**
 * Softirq counts per type and CPU from {@code /proc/softirqs}.
 *
 * @param cpus column names (CPU0, CPU1, …)
 * @param counts per softirq type (NET_RX, NET_TX, …) one count per CPU
 */
public record Softirqs(List<String> cpus, Map<String, List<Long>> counts) {
  public Softirqs {
    cpus = List.copyOf(cpus);
    counts = Map.copyOf(counts);
  }

  /** Total of one softirq type over all CPUs, 0 if the kernel does not list it. */
  public long total(String type) {
    return counts.getOrDefault(type, List.of()).stream().mapToLong(Long::longValue).sum();
  }
}
