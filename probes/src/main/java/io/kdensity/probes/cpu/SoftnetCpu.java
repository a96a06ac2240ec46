package io.kdensity.probes.cpu;

/**
 * One CPU's row of {@code /proc/net/softnet_stat}.
 *
 * @param cpu CPU number (from the index column where the kernel prints it, else the row number)
 * @param processed packets taken off the backlog and processed
 * @param dropped packets dropped because the input backlog was full ({@code netdev_max_backlog})
 * @param timeSqueeze NET_RX runs that stopped with work left ({@code netdev_budget}/{@code _usecs})
 * @param receivedRps times RPS woke this CPU (an IPI) to drain packets other CPUs steered to its
 *     backlog ({@code rps_trigger_softirq}); not a packet count
 * @param flowLimitCount packets dropped by the flow limit
 */
public record SoftnetCpu(
    int cpu,
    long processed,
    long dropped,
    long timeSqueeze,
    long receivedRps,
    long flowLimitCount) {}
