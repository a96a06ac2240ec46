package io.kdensity.probes.ethtool;

/** One offload feature from {@code ethtool -k}: on/off and whether the driver lets it change. */
public record Feature(String name, boolean on, boolean fixed) {}
