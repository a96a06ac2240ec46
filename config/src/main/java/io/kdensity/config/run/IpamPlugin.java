package io.kdensity.config.run;

import java.util.Arrays;
import java.util.Locale;

/**
 * The IPAM plugin a network config's {@code ipam.type} names: the reference ones ({@code
 * containernetworking/plugins}, {@code plugins/ipam}), whereabouts, and {@link #OTHER} for every
 * other type.
 */
public enum IpamPlugin {
  HOST_LOCAL("host-local"),
  STATIC("static"),
  DHCP("dhcp"),
  WHEREABOUTS("whereabouts"),
  OTHER("other");

  private final String type;

  IpamPlugin(String type) {
    this.type = type;
  }

  /** The config's {@code ipam.type}, e.g. {@code host-local}. */
  public String type() {
    return type;
  }

  /** The plugin of an {@code ipam.type}; {@link #OTHER} for a type not listed here. */
  public static IpamPlugin of(String type) {
    return Arrays.stream(values())
        .filter(p -> p != OTHER && p.type.equals(type))
        .findFirst()
        .orElse(OTHER);
  }

  /** Its part of a metric name: {@code host_local}. */
  public String metricName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
