package io.kdensity.probes.ethtool;

/** Channel counts from {@code ethtool -l}; -1 where the driver prints n/a. */
public record Channels(long maxRx, long maxTx, long maxCombined, long rx, long tx, long combined) {}
