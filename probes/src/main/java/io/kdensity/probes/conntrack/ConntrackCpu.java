package io.kdensity.probes.conntrack;

/**
 * One CPU's row of {@code /proc/net/stat/nf_conntrack}: the counters of packets conntrack dropped
 * for lack of room. Each is the kernel's {@code unsigned int}, printed with {@code %08x}: 32 bits
 * that wrap.
 *
 * @param insertFailed a new entry could not be inserted (a clash, or the table was full)
 * @param drop a packet was dropped because the table was full and no entry could be evicted
 * @param earlyDrop an entry without an assured flow was evicted to make room
 */
public record ConntrackCpu(long insertFailed, long drop, long earlyDrop) {}
