package io.kdensity.scale.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A secondary network, described exactly like a Multus NetworkAttachmentDefinition: a name and the
 * CNI configuration JSON. The same definitions drive the local and the Kubernetes target.
 *
 * <p>On the local target, {@code "master": "uplink0"} names the emulated node's first NIC port, and
 * host-local IPAM state is kept in the run's own folder.
 *
 * <p>With {@code ips}, every pod gets fixed addresses from these subnets, derived from its index,
 * and they are passed the way Multus passes the {@code ips} of a pod's network selection
 * annotation: as CNI {@code runtimeConfig.ips} to a config that declares {@code capabilities: {ips:
 * true}} (with the {@code static} IPAM plugin). The subnet's first address is the gateway.
 *
 * @param name NAD name ({@code metadata.name}), e.g. {@code sat-a}
 * @param config CNI config JSON ({@code spec.config})
 * @param ips subnets the pods' fixed addresses come from (empty: the config's IPAM decides)
 * @param line where it was declared, for messages
 */
public record Attachment(String name, String config, List<String> ips, int line) {
  public Attachment {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(config, "config");
    ips = List.copyOf(ips);
  }

  /**
   * The config as JSON, or a missing node if it is not JSON (a plan's always is: {@link
   * AttachmentReader} checks it).
   */
  public JsonNode json() {
    try {
      return JsonMapper.shared().readTree(config);
    } catch (JacksonException e) {
      return JsonMapper.shared().missingNode();
    }
  }

  public Attachment(String name, String config, int line) {
    this(name, config, List.of(), line);
  }

  /**
   * eth0's network when a plan names none: a routed veth ({@code ptp}, like Calico) with host-local
   * addresses from {@code fd00:100::/64} (and {@code 198.18.0.0/16} when dual-stack). sim-cluster's
   * cluster network is the same, so both targets give pods the same eth0.
   */
  public static Attachment defaultPrimary(boolean dualStack) {
    String ranges =
        dualStack
            ? "[[{\"subnet\":\"fd00:100::/64\"}],[{\"subnet\":\"198.18.0.0/16\"}]]"
            : "[[{\"subnet\":\"fd00:100::/64\"}]]";
    return new Attachment(
        "kd-primary",
        "{\"cniVersion\":\"1.0.0\",\"name\":\"kd-primary\",\"type\":\"ptp\",\"ipam\":{\"type\":\"host-local\",\"ranges\":"
            + ranges
            + "}}",
        0);
  }

  /**
   * The fixed addresses (CIDR notation) of pod {@code pod} (1-based) in its {@code slot}-th
   * interface on this network (0-based; a pod has more than one when interfacesPerPod exceeds the
   * number of attachments), out of {@code slots} per pod. Host number {@code 2 + (pod - 1) * slots
   * + slot}: the first host is the gateway.
   */
  public List<String> podAddresses(int pod, int slot, int slots) {
    List<String> out = new ArrayList<>();
    for (String subnet : ips) {
      out.add(Subnet.of(subnet).hostWithPrefix(2L + (long) (pod - 1) * slots + slot));
    }
    return out;
  }

  /** The gateway of each {@code ips} subnet: its first host, without prefix length. */
  public List<String> gateways() {
    return ips.stream().map(s -> Subnet.of(s).gateway()).toList();
  }
}
