package io.kdensity.probes.ethtool;

/** Ring sizes from {@code ethtool -g}; -1 where the driver prints n/a. */
public record RingParams(long maxRx, long maxTx, long rx, long tx) {}
