package io.kdensity.config.run;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;

/**
 * How a run's pod interfaces were made; written in lower case in plans and {@code summary.json}.
 * Attach latencies of the two modes measure different work and are never compared with each other.
 */
public enum AttachMode {
  /**
   * The CNI plugin binaries, one ADD per interface, as a container runtime (locally) or the
   * cluster's kubelet and Multus call them: attach latency is the plugins' latency.
   */
  CNI,
  /**
   * The kernel objects the plugins would make (veths, macvlans, bridge ports, addresses, routes,
   * sysctls), made by kdensity with batched netlink requests, for questions about the datapath:
   * attach latency is the time from a step's batch to the pod's interfaces configured.
   */
  NETLINK;

  /** {@code cni} or {@code netlink}, as written in files. */
  @JsonValue
  public String text() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @throws IllegalArgumentException naming the accepted words
   */
  @JsonCreator
  public static AttachMode of(String text) {
    return Arrays.stream(values())
        .filter(m -> m.text().equals(text == null ? "" : text.strip().toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "attach mode must be cni or netlink, found '" + text + "'"));
  }

  @Override
  public String toString() {
    return text();
  }
}
