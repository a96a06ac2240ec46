package io.kdensity.scale.plan;

import io.kdensity.config.yaml.Reader;
import io.kdensity.config.yaml.YNode;
import io.kdensity.config.yaml.YNode.YMap;
import io.kdensity.config.yaml.YNode.YScalar;
import io.kdensity.config.yaml.Yaml;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Binds attachments (and the primary network) and checks their CNI semantics: a valid config with a
 * type, addresses only from the allowed ranges, uplink masters that exist on the local target,
 * fixed {@code ips} with the static plugin and the capability Multus needs, room for every pod.
 */
final class AttachmentReader {
  /**
   * Plugin types of the CNI reference plugins and the common third-party ones. A type near one of
   * these but not equal is a typo, refused at load time; a type far from all of them is another
   * vendor's plugin, whose binary preflight looks for.
   */
  private static final List<String> CNI_TYPES =
      List.of(
          "bridge",
          "ipvlan",
          "macvlan",
          "ptp",
          "vlan",
          "host-device",
          "dummy",
          "tap",
          "loopback",
          "bandwidth",
          "firewall",
          "portmap",
          "sbr",
          "tuning",
          "vrf",
          "sriov",
          "ib-sriov",
          "ovn-k8s-cni-overlay",
          "calico",
          "cilium-cni",
          "flannel",
          "multus",
          "userspace",
          "macvtap",
          "ovs",
          "kube-ovn",
          "antrea",
          "weave-net",
          "aws-cni",
          "istio-cni");

  private static final List<String> IPAM_TYPES =
      List.of("host-local", "static", "dhcp", "whereabouts", "calico-ipam");

  /**
   * A plugin binary of that name in the local target's CNI folders: whatever its name, it exists.
   */
  private static boolean installedLocally(String type, TargetSpec target) {
    return target.type() == TargetSpec.Type.LOCAL
        && type.matches("[A-Za-z0-9._-]+")
        && target.local().cniDirs().stream().anyMatch(d -> Files.isExecutable(d.resolve(type)));
  }

  private static void misspelt(
      Reader r,
      YNode at,
      String network,
      String what,
      String type,
      List<String> known,
      TargetSpec target) {
    if (type.isEmpty() || known.contains(type) || installedLocally(type, target)) {
      return;
    }
    String near = Reader.closest(type, known);
    if (near != null) {
      r.error(
          at,
          "config of '"
              + network
              + "': unknown CNI "
              + what
              + " '"
              + type
              + "' (did you mean '"
              + near
              + "'?)");
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AttachmentReader() {}

  static Attachment defaultPrimary(TargetSpec t) {
    return Attachment.defaultPrimary(t.local().dualStack());
  }

  /** {@code {name, config}} where config is a JSON string or an inline YAML mapping. */
  static Attachment attachment(Reader r, YNode n, TargetSpec target) {
    return attachment(r, n, target, false);
  }

  static Attachment attachment(Reader r, YNode n, TargetSpec target, boolean primary) {
    YMap m = r.map(n);
    if (m == null) {
      return null;
    }
    r.allowOnly(m, List.of("name", "config", "ips"));
    String name = r.requireString(m, "name");
    if (name != null && !name.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
      r.error(
          m.get("name"),
          "attachment name '" + name + "' must be a Kubernetes name (lower case, digits, dashes)");
    }
    Optional<YNode> c = r.require(m, "config");
    if (c.isEmpty() || name == null) {
      return null;
    }
    JsonNode json;
    try {
      json =
          c.get() instanceof YScalar s
              ? JSON.readTree(s.value())
              : JSON.valueToTree(Yaml.toPlain(c.get()));
    } catch (JacksonException e) {
      r.error(c.get(), "config of '" + name + "' is not valid JSON: " + e.getOriginalMessage());
      return null;
    }
    if (!(json instanceof ObjectNode o)) {
      r.error(c.get(), "config of '" + name + "' must be a JSON object");
      return null;
    }
    String type = o.path("type").asString("");
    if (type.isEmpty()) {
      r.error(c.get(), "config of '" + name + "' has no CNI \"type\"");
    }
    misspelt(r, c.get(), name, "type", type, CNI_TYPES, target);
    misspelt(
        r,
        c.get(),
        name,
        "ipam type",
        o.path("ipam").path("type").asString(""),
        IPAM_TYPES,
        target);
    o.put("name", name);
    if (!o.has("cniVersion")) {
      o.put("cniVersion", "1.0.0");
    }
    for (String addr : addresses(o.path("ipam"))) {
      if (!AddressPolicy.allowed(addr)) {
        r.error(
            c.get(),
            "config of '"
                + name
                + "' uses "
                + addr
                + ": kdensity only hands out addresses from "
                + AddressPolicy.RANGES);
      }
    }
    String master = o.path("master").asString("");
    if (target.type() == TargetSpec.Type.LOCAL && !master.isEmpty()) {
      int uplink = master.matches("uplink\\d+") ? Integer.parseInt(master.substring(6)) : -1;
      if (uplink < 0 || uplink >= target.local().uplinks()) {
        r.error(
            c.get(),
            "config of '"
                + name
                + "': on the local target \"master\" must be uplink0..uplink"
                + (target.local().uplinks() - 1)
                + ", found '"
                + master
                + "'");
      }
    }
    List<String> ips = r.strings(m, "ips");
    if (!ips.isEmpty()) {
      for (String subnet : ips) {
        if (Subnet.parse(subnet).isEmpty()) {
          r.error(
              m.get("ips"), "ips of '" + name + "': '" + subnet + "' is not a subnet in CIDR form");
        } else if (!AddressPolicy.allowed(subnet)) {
          r.error(
              m.get("ips"),
              "ips of '"
                  + name
                  + "': "
                  + subnet
                  + " is outside "
                  + AddressPolicy.RANGES
                  + ", the only ranges kdensity hands out");
        }
      }
      if (primary && !"static".equals(o.path("ipam").path("type").asString(""))) {
        // eth0's plugin (ptp) needs a gateway, which runtimeConfig ips cannot carry: the pod's
        // address and gateway go into the static IPAM config itself
        r.error(
            m.line(),
            "primary: 'ips' needs \"ipam\": {\"type\": \"static\"} in its config (kdensity writes"
                + " each pod's address and gateway into it)");
      }
      if (!primary && !o.path("capabilities").path("ips").asBoolean(false)) {
        r.error(
            c.get(),
            "config of '"
                + name
                + "' needs \"capabilities\": {\"ips\": true} for 'ips': Multus passes a pod's"
                + " ips as runtimeConfig only to configs that declare the capability");
      }
      if (!primary && !"static".equals(o.path("ipam").path("type").asString(""))) {
        r.error(
            c.get(),
            "config of '"
                + name
                + "' needs \"ipam\": {\"type\": \"static\"} for 'ips': the static plugin is the"
                + " one that takes runtimeConfig ips");
      }
    }
    return new Attachment(name, o.toString(), ips, m.line());
  }

  /** Every attachment with {@code ips} must hold an address for each of its interfaces at max. */
  static void checkIpCapacity(Reader r, List<Attachment> attachments, int perPod, Ramp ramp) {
    if (attachments.isEmpty() || ramp.steps().isEmpty()) {
      return;
    }
    int maxPods = ramp.max();
    for (int a = 0; a < attachments.size(); a++) {
      Attachment at = attachments.get(a);
      int slots = Plan.slotsPerPod(a, attachments.size(), perPod);
      BigInteger need = BigInteger.valueOf((long) maxPods * slots);
      for (String text : at.ips()) {
        Subnet.parse(text)
            .filter(subnet -> subnet.capacity().compareTo(need) < 0)
            .ifPresent(
                subnet ->
                    r.error(
                        at.line(),
                        "ips of '"
                            + at.name()
                            + "': "
                            + text
                            + " holds "
                            + subnet.capacity()
                            + " pod addresses, the ramp needs "
                            + need));
      }
    }
  }

  /** Every subnet, range bound, gateway and static address in an IPAM config. */
  static List<String> addresses(JsonNode ipam) {
    List<String> out = new ArrayList<>();
    for (String f : List.of("subnet", "rangeStart", "rangeEnd", "gateway")) {
      if (ipam.has(f)) {
        out.add(ipam.get(f).asString());
      }
    }
    for (JsonNode set : ipam.path("ranges")) {
      for (JsonNode range : set) {
        for (String f : List.of("subnet", "rangeStart", "rangeEnd", "gateway")) {
          if (range.has(f)) {
            out.add(range.get(f).asString());
          }
        }
      }
    }
    for (JsonNode a : ipam.path("addresses")) {
      out.add(a.path("address").asString(""));
    }
    return out;
  }
}
