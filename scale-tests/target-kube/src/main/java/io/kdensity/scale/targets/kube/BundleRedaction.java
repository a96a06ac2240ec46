package io.kdensity.scale.targets.kube;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code doctor}'s bundle leaves out of the cluster it was recorded on, so it can be attached
 * to an issue: the API server's host, the node's name, and the IPv4 addresses the node and its
 * cluster use (mapped, one to one, into TEST-NET-1 192.0.2.0/24 and TEST-NET-3 203.0.113.0/24, so
 * the output still parses). Kept: kdensity's own addresses (fd00::/8, 198.18.0.0/15), loopback,
 * IPv6 addresses outside fd00::/8 — review those before sharing.
 */
final class BundleRedaction {
  static final String NODE = "node-1";
  static final String SERVER_HOST = "api.cluster.example";
  private static final Pattern IPV4 =
      Pattern.compile("(?<![\\d.])(\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3})(?![\\d.])");
  private static final IPAddress KEPT_BENCH = new IPAddressString("198.18.0.0/15").getAddress();
  private static final IPAddress LOOPBACK = new IPAddressString("127.0.0.0/8").getAddress();

  private final String node;
  private final String serverHost;
  private final Map<String, String> addresses = new LinkedHashMap<>();

  /**
   * @param node the node's name
   * @param serverHost the API server's host: a name is replaced, an IPv4 address mapped as every
   *     other (so a loopback server does not rename the node's own 127.0.0.1)
   */
  BundleRedaction(String node, String serverHost) {
    this.node = node;
    this.serverHost = new IPAddressString(serverHost).isIPAddress() ? "" : serverHost;
  }

  synchronized String apply(String text) {
    String out = text;
    if (!serverHost.isBlank()) {
      out = out.replace(serverHost, SERVER_HOST);
    }
    if (!node.isBlank()) {
      out = out.replace(node, NODE);
    }
    Matcher m = IPV4.matcher(out);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(address(m.group(1))));
    }
    m.appendTail(b);
    return b.toString();
  }

  private String address(String a) {
    IPAddress ip = new IPAddressString(a).getAddress();
    if (ip == null
        || !ip.isIPv4()
        || KEPT_BENCH.contains(ip)
        || LOOPBACK.contains(ip)
        || ip.isZero()
        || a.startsWith("255.")) {
      return a; // not an address (a version number), or one that names nothing of the cluster
    }
    return addresses.computeIfAbsent(
        a,
        k -> {
          int n = addresses.size() + 1;
          return n <= 254 ? "192.0.2." + n : "203.0.113." + Math.min(254, n - 254);
        });
  }
}
