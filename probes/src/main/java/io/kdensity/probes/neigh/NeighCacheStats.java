package io.kdensity.probes.neigh;

/**
 * Statistics of one neighbour table ({@code /proc/net/stat/ndisc_cache} or {@code arp_cache}),
 * summed over CPUs. {@code entries} is the table's current size (the same on every CPU row).
 */
public record NeighCacheStats(
    long entries,
    long allocs,
    long destroys,
    long hashGrows,
    long lookups,
    long hits,
    long resFailed,
    long periodicGcRuns,
    long forcedGcRuns,
    long unresolvedDiscards,
    long tableFulls) {}
