package io.kdensity.probes.neigh;

/**
 * Statistics of one neighbour table ({@code /proc/net/stat/ndisc_cache} or {@code arp_cache}),
 * summed over CPUs. {@code entries} is the table's current size (the same on every CPU row); {@code
 * tableFulls} is {@link #UNKNOWN} on kernels that do not print the column (before 4.4).
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
    long tableFulls) {

  /** A column the kernel does not print. */
  public static final long UNKNOWN = -1;

  /** Whether the kernel reports refused entries ({@code table_fulls}). */
  public boolean knowsTableFulls() {
    return tableFulls != UNKNOWN;
  }
}
