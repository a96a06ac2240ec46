package io.kdensity.scale.plan;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.kdensity.probes.addr.Addresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What {@code attach: netlink} needs from an attachment: a plugin whose kernel objects kdensity
 * knows how to make (ptp, macvlan, bridge) and an IPAM whose addresses it can hand out itself
 * (fixed {@code ips}, the static plugin's addresses, host-local ranges) — and those addresses.
 *
 * <p>host-local gives the lowest free address of a range from {@code rangeStart} (default: the host
 * after the gateway); netlink mode gives interface {@code slot} of pod {@code n} the host {@code
 * start + (n - 1) × slots + slot}, the address host-local would give when pods attach in order, and
 * stable under bisection.
 */
public final class NetlinkAttach {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Plugins whose objects netlink mode makes. */
  public static final Set<String> PLUGINS = Set.of("ptp", "macvlan", "bridge");

  /** IPAM plugins whose addresses netlink mode computes. */
  public static final Set<String> IPAMS = Set.of("static", "host-local");

  private NetlinkAttach() {}

  /** Why netlink mode cannot make this attachment, or empty if it can. */
  public static Optional<String> unsupported(Attachment a) {
    JsonNode c = a.json();
    String type = c.path("type").asString("");
    if (!PLUGINS.contains(type)) {
      return Optional.of(
          "attach: netlink makes "
              + String.join(", ", PLUGINS.stream().sorted().toList())
              + " interfaces; '"
              + a.name()
              + "' uses the '"
              + type
              + "' plugin (run it with attach: cni)");
    }
    if (!a.ips().isEmpty()) {
      return Optional.empty();
    }
    String ipam = c.path("ipam").path("type").asString("");
    if (!IPAMS.contains(ipam)) {
      return Optional.of(
          "attach: netlink hands out addresses from ips, static or host-local; '"
              + a.name()
              + "' uses "
              + (ipam.isEmpty() ? "no IPAM" : "the '" + ipam + "' IPAM")
              + " (run it with attach: cni)");
    }
    if (ipam.equals("static") && !c.path("ipam").path("addresses").isArray()) {
      return Optional.of("attach: netlink: static IPAM of '" + a.name() + "' has no addresses");
    }
    if (ipam.equals("host-local") && ranges(c.path("ipam")).isEmpty()) {
      return Optional.of("attach: netlink: host-local IPAM of '" + a.name() + "' has no ranges");
    }
    return Optional.empty();
  }

  /**
   * The addresses (CIDR notation) of pod {@code pod}'s {@code slot}-th interface on this network,
   * out of {@code slots} per pod: its fixed {@code ips}, else what its IPAM config would give.
   */
  public static List<String> addresses(Attachment a, int pod, int slot, int slots) {
    if (!a.ips().isEmpty()) {
      return a.podAddresses(pod, slot, slots);
    }
    JsonNode ipam = a.json().path("ipam");
    List<String> out = new ArrayList<>();
    if ("static".equals(ipam.path("type").asString(""))) {
      for (JsonNode s : ipam.path("addresses")) {
        out.add(s.path("address").asString());
      }
      return out;
    }
    long n = (long) (pod - 1) * slots + slot;
    for (JsonNode r : ranges(ipam)) {
      Subnet subnet = Subnet.of(r.path("subnet").asString());
      IPAddress first =
          r.has("rangeStart")
              ? new IPAddressString(r.path("rangeStart").asString()).getAddress()
              : subnet.cidr().getLower().withoutPrefixLength().increment(2);
      String host =
          Addresses.canonical(first.withoutPrefixLength().increment(n).toCanonicalString());
      out.add(host + "/" + subnet.prefixLength());
    }
    return out;
  }

  /** The routes of the attachment's IPAM config: destination and gateway ("" for none). */
  public static List<Route> routes(Attachment a) {
    List<Route> out = new ArrayList<>();
    for (JsonNode r : a.json().path("ipam").path("routes")) {
      out.add(new Route(r.path("dst").asString(""), r.path("gw").asString("")));
    }
    return out;
  }

  /**
   * A route an IPAM config asks for.
   *
   * @param dst destination prefix
   * @param gateway next hop, or "" for the interface's gateway of that family
   */
  public record Route(String dst, String gateway) {}

  /** The first range of each range set, or the legacy single {@code subnet}. */
  private static List<JsonNode> ranges(JsonNode ipam) {
    List<JsonNode> out = new ArrayList<>();
    if (ipam.has("subnet")) {
      out.add(ipam);
    }
    for (JsonNode set : ipam.path("ranges")) {
      if (set.isArray() && !set.isEmpty() && set.get(0).has("subnet")) {
        out.add(set.get(0));
      }
    }
    return out;
  }
}
