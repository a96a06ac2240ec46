package io.kdensity.scale.plan;

import java.util.Objects;

/**
 * A secondary network, described exactly like a Multus NetworkAttachmentDefinition: a name and the
 * CNI configuration JSON. The same definitions drive the local and the Kubernetes target.
 *
 * <p>On the local target, {@code "master": "uplink0"} names the emulated node's first NIC port, and
 * host-local IPAM state is kept in the run's own folder.
 *
 * @param name NAD name ({@code metadata.name}), e.g. {@code sat-a}
 * @param config CNI config JSON ({@code spec.config})
 * @param line where it was declared, for messages
 */
public record Attachment(String name, String config, int line) {
  public Attachment {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
  }
}
