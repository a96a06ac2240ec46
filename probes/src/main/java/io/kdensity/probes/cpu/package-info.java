/**
 * CPU spent on packets: per-CPU softnet counters ({@code /proc/net/softnet_stat}), NET_RX/NET_TX
 * softirq counts ({@code /proc/softirqs}) and softirq CPU time ({@code /proc/stat}).
 */
package io.kdensity.probes.cpu;
