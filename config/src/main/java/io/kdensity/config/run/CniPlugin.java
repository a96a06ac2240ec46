package io.kdensity.config.run;

import java.util.Arrays;
import java.util.Locale;

/**
 * The CNI plugin that made an interface, as a network config's {@code type} names it: the
 * interface-creating reference plugins ({@code containernetworking/plugins}, {@code plugins/main}),
 * and {@link #OTHER} for every other type (SR-IOV, OVN-Kubernetes, Calico, ...).
 */
public enum CniPlugin {
  BRIDGE("bridge"),
  DUMMY("dummy"),
  HOST_DEVICE("host-device"),
  IPVLAN("ipvlan"),
  MACVLAN("macvlan"),
  PTP("ptp"),
  TAP("tap"),
  VLAN("vlan"),
  OTHER("other");

  private final String type;

  CniPlugin(String type) {
    this.type = type;
  }

  /** The config's {@code type}, e.g. {@code host-device}. */
  public String type() {
    return type;
  }

  /** The plugin of a config's {@code type}; {@link #OTHER} for a type not listed here. */
  public static CniPlugin of(String type) {
    return Arrays.stream(values())
        .filter(p -> p != OTHER && p.type.equals(type))
        .findFirst()
        .orElse(OTHER);
  }

  /** Its part of a metric name: {@code host_device}. */
  public String metricName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
