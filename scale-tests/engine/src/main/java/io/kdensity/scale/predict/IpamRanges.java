package io.kdensity.scale.predict;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.reports.model.Prediction.Headroom;
import io.kdensity.scale.plan.Attachment;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.TargetSpec;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The addresses a plan's host-local networks can give, against what its pods take: each of a pod's
 * interfaces on the network takes one address from every range set of it, a deleted pod's are given
 * back, and an ADD with no address left fails ("no IP addresses available in range set"). A range
 * is what host-local makes of it ({@code Range.Canonicalize},
 * plugins/ipam/host-local/backend/allocator/range.go): from {@code rangeStart} (default the
 * subnet's first host) to {@code rangeEnd} (default its last address, less the broadcast for IPv4),
 * without the gateway (default the first host), which the allocator skips. Needs no calibration;
 * other IPAM plugins (static, whereabouts, DHCP) are left out.
 */
final class IpamRanges {
  /** Ranges larger than this never run out in a density a node holds (an IPv6 /64). */
  static final BigInteger NEVER = BigInteger.valueOf(100_000_000L);

  private IpamRanges() {}

  /** One limit per host-local network of the plan whose ranges can run out. */
  static List<Headroom> of(Plan plan, int pods) {
    List<Headroom> out = new ArrayList<>();
    if (plan.target().type() == TargetSpec.Type.LOCAL && plan.primary() != null) {
      // eth0: on a cluster the cluster's own network, whose IPAM the plan does not know
      limit(plan.primary(), 1, pods).ifPresent(out::add);
    }
    List<Attachment> nets = plan.attachments();
    for (int k = 0; k < nets.size(); k++) {
      limit(nets.get(k), interfacesOn(k, nets.size(), plan.interfacesPerPod()), pods)
          .ifPresent(out::add);
    }
    return out;
  }

  /** How many of net1..netM a pod has on attachment {@code k} of {@code n} (they cycle). */
  static int interfacesOn(int k, int n, int interfacesPerPod) {
    int count = 0;
    for (int i = 1; i <= interfacesPerPod; i++) {
      if ((i - 1) % n == k) {
        count++;
      }
    }
    return count;
  }

  static Optional<Headroom> limit(Attachment net, int perPod, int pods) {
    if (perPod == 0) {
      return Optional.empty();
    }
    JsonNode ipam = ipam(net);
    if (!"host-local".equals(ipam.path("type").asString(""))) {
      return Optional.empty();
    }
    List<List<JsonNode>> sets = rangeSets(ipam);
    BigInteger size = null;
    for (List<JsonNode> set : sets) {
      BigInteger n = BigInteger.ZERO;
      for (JsonNode r : set) {
        n = n.add(addresses(r));
      }
      size = size == null ? n : size.min(n);
    }
    if (size == null || size.compareTo(NEVER) > 0) {
      return Optional.empty();
    }
    long capacity = size.longValueExact();
    int at = (int) (capacity / perPod) + 1;
    long need = (long) pods * perPod;
    return Optional.of(
        new Headroom(
            "addresses of network " + net.name() + " (host-local)",
            FindingCode.ATTACH_FAILED,
            capacity,
            "addresses",
            need,
            need,
            at,
            at,
            String.format(
                "%,d addresses in its %s (host-local gives from rangeStart to rangeEnd, skipping"
                    + " the gateway; every range set must give one); each pod takes %d, so the"
                    + " ADD of pod %,d finds none left",
                capacity, sets.size() == 1 ? "range set" : "smallest range set", perPod, at)));
  }

  /** The {@code ipam} of a config, or of a conflist's first plugin that has one. */
  static JsonNode ipam(Attachment net) {
    JsonNode c = net.json();
    for (JsonNode p : c.path("plugins")) {
      if (p.has("ipam")) {
        return p.path("ipam");
      }
    }
    return c.path("ipam");
  }

  /** {@code ranges} (a list of range sets), or the legacy single {@code subnet} as one set. */
  static List<List<JsonNode>> rangeSets(JsonNode ipam) {
    List<List<JsonNode>> out = new ArrayList<>();
    if (ipam.path("ranges").isArray()) {
      for (JsonNode set : ipam.path("ranges")) {
        List<JsonNode> ranges = new ArrayList<>();
        set.forEach(ranges::add);
        out.add(ranges);
      }
    } else if (ipam.has("subnet")) {
      out.add(List.of(ipam));
    }
    return out;
  }

  /** The addresses host-local can give from one range. */
  static BigInteger addresses(JsonNode range) {
    IPAddress subnet = parse(range.path("subnet").asString("")).toPrefixBlock();
    IPAddress first = subnet.getLower().increment(1);
    IPAddress last = subnet.isIPv4() ? subnet.getUpper().increment(-1) : subnet.getUpper();
    IPAddress start = range.has("rangeStart") ? parse(range.path("rangeStart").asString()) : first;
    IPAddress end = range.has("rangeEnd") ? parse(range.path("rangeEnd").asString()) : last;
    IPAddress gateway = range.has("gateway") ? parse(range.path("gateway").asString()) : first;
    BigInteger n = end.getValue().subtract(start.getValue()).add(BigInteger.ONE);
    boolean gatewayInside =
        gateway.getValue().compareTo(start.getValue()) >= 0
            && gateway.getValue().compareTo(end.getValue()) <= 0;
    return (gatewayInside ? n.subtract(BigInteger.ONE) : n).max(BigInteger.ZERO);
  }

  private static IPAddress parse(String text) {
    IPAddress a = new IPAddressString(text).getAddress();
    if (a == null) {
      throw new IllegalArgumentException("not an IP address or subnet: '" + text + "'");
    }
    return a;
  }
}
