package io.kdensity.scale.targets.kube;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The links the fake node's plugins create for each pod, as {@code ip -j link} shows them from the
 * pod's namespace and from the node's:
 *
 * <ul>
 *   <li>eth0 (Calico): a veth whose node end is {@code cali…}, in no bridge;
 *   <li>a {@code bridge} network (plugins/main/bridge): a veth pair, the node end named {@code
 *       veth} + 8 hex digits, a port of the config's {@code bridge} as it was when the pod
 *       attached;
 *   <li>a {@code macvlan} network: a macvlan child of the node's uplink (not a veth).
 * </ul>
 *
 * Each end's {@code link_index} is its peer's ifindex and {@code link_netnsid} the peer namespace's
 * id, as the kernel prints them. Deleting a pod's sandbox deletes its veths with it. {@code ip
 * -force -batch -} on the node sets node links down and up, and is recorded.
 */
final class FakeNodeLinks {
  /** A veth pair: the pod end's ifindex and name, the node end's. */
  record Pair(
      int podIndex, String podName, int nodeIndex, String nodeName, String bridge, int nsid) {}

  private final Map<String, List<Pair>> byUid = new ConcurrentHashMap<>();
  private final Map<String, Boolean> up = new ConcurrentHashMap<>();
  private final AtomicInteger nextNodeIndex = new AtomicInteger(10);
  private final AtomicInteger nextNsid = new AtomicInteger(1);

  /** Every {@code link set} line the node ran, in order ({@code veth0000000b down}). */
  final List<String> linkSets = new CopyOnWriteArrayList<>();

  /**
   * Wires a sandbox.
   *
   * @param interfaces the pod's interfaces in order (eth0 first), each with its CNI type and, for
   *     bridges, the bridge
   */
  void attach(String uid, List<Map.Entry<String, String[]>> interfaces) {
    int nsid = nextNsid.getAndIncrement();
    List<Pair> pairs = new ArrayList<>();
    int podIndex = 2; // lo is 1
    for (var i : interfaces) {
      String type = i.getValue()[0];
      if (type.equals("calico") || type.equals("bridge")) {
        int nodeIndex = nextNodeIndex.getAndIncrement();
        String nodeName =
            type.equals("calico")
                ? "cali" + String.format("%011x", nodeIndex)
                : "veth" + String.format("%08x", nodeIndex);
        pairs.add(new Pair(podIndex, i.getKey(), nodeIndex, nodeName, i.getValue()[1], nsid));
        up.put(nodeName, true);
      }
      podIndex++;
    }
    byUid.put(uid, List.copyOf(pairs));
  }

  /** The runtime deleted the sandbox: its namespace and veths are gone. */
  void detach(String uid) {
    List<Pair> gone = byUid.remove(uid);
    if (gone != null) {
      gone.forEach(p -> up.remove(p.nodeName()));
    }
  }

  /** The node's own links: loopback, the primary NIC and the NIC ports the NADs name. */
  static final List<String> NICS = List.of("lo", "eth0", "ens1f0", "ens1f1");

  /** {@code ip -j link show type veth} in the pod with {@code uid}. */
  String podVeths(String uid) {
    return byUid.getOrDefault(uid, List.of()).stream()
        .map(
            p ->
                link(
                    p.podIndex(),
                    p.podName(),
                    p.nodeIndex(),
                    0,
                    null,
                    true,
                    up.getOrDefault(p.nodeName(), false)))
        .collect(Collectors.joining(",", "[", "]"));
  }

  /** What the node's shell answers to {@code ip -j link show …} and {@code ip -force -batch -}. */
  CommandResult run(Command c) {
    List<String> a = c.argv();
    if (a.equals(List.of("ip", "-force", "-batch", "-"))) {
      return batch(c);
    }
    if (a.equals(List.of("ip", "-j", "link", "show"))) {
      // the node's NICs (the masters the tests' NADs name) and the pods' node-side veths
      StringBuilder all = new StringBuilder("[");
      for (int i = 0; i < NICS.size(); i++) {
        all.append(i > 0 ? "," : "").append(link(i + 1, NICS.get(i), i + 1, -1, null, true, true));
      }
      byUid.values().stream()
          .flatMap(List::stream)
          .forEach(
              p ->
                  all.append(',')
                      .append(
                          link(
                              p.nodeIndex(),
                              p.nodeName(),
                              p.podIndex(),
                              p.nsid(),
                              p.bridge(),
                              true,
                              up.getOrDefault(p.nodeName(), false))));
      return new CommandResult(c.display(), 0, all.append(']').toString(), "", Duration.ZERO);
    }
    if (a.size() == 8 && a.subList(0, 4).equals(List.of("ip", "-j", "link", "show"))) {
      String bridge = a.get(5);
      List<Pair> ports =
          byUid.values().stream()
              .flatMap(List::stream)
              .filter(p -> bridge.equals(p.bridge()))
              .toList();
      if (ports.isEmpty()) {
        return new CommandResult(
            c.display(),
            255,
            "",
            "Error: argument \"" + bridge + "\" is wrong: Device does not exist\n",
            Duration.ZERO);
      }
      return new CommandResult(
          c.display(),
          0,
          ports.stream()
              .map(
                  p ->
                      link(
                          p.nodeIndex(),
                          p.nodeName(),
                          p.podIndex(),
                          p.nsid(),
                          p.bridge(),
                          up.getOrDefault(p.nodeName(), false),
                          up.getOrDefault(p.nodeName(), false)))
              .collect(Collectors.joining(",", "[", "]")),
          "",
          Duration.ZERO);
    }
    return null;
  }

  private CommandResult batch(Command c) {
    StringBuilder err = new StringBuilder();
    int n = 0;
    for (String line : c.stdin().split("\n")) {
      n++;
      String[] w = line.trim().split("\\s+");
      if (w.length != 5 || !w[0].equals("link") || !w[1].equals("set") || !w[2].equals("dev")) {
        err.append("Command \"").append(w[0]).append("\" is unknown\n");
        continue;
      }
      if (!up.containsKey(w[3])) {
        err.append("Cannot find device \"").append(w[3]).append("\"\nCommand failed -:").append(n);
        err.append('\n');
        continue;
      }
      up.put(w[3], w[4].equals("up"));
      linkSets.add(w[3] + " " + w[4]);
    }
    return new CommandResult(c.display(), err.isEmpty() ? 0 : 1, "", err.toString(), Duration.ZERO);
  }

  /** The node-side links that are down now. */
  List<String> down() {
    return up.entrySet().stream()
        .filter(e -> !e.getValue())
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** The node end of {@code ifname} in the pod with {@code uid}, if it is a veth. */
  String nodeEnd(String uid, String ifname) {
    return byUid.getOrDefault(uid, List.of()).stream()
        .filter(p -> p.podName().equals(ifname))
        .map(Pair::nodeName)
        .findFirst()
        .orElse(null);
  }

  /**
   * One link as {@code ip -j link} prints it: a veth end with its peer's ifindex and, unless {@code
   * nsid} is negative (the peer in the same namespace), the peer namespace's id.
   */
  static String link(
      int index, String name, int peer, int nsid, String master, boolean adminUp, boolean carrier) {
    return "{\"ifindex\":"
        + index
        + ",\"link_index\":"
        + peer
        + ",\"ifname\":\""
        + name
        + "\",\"flags\":["
        + (carrier ? "" : "\"NO-CARRIER\",")
        + "\"BROADCAST\",\"MULTICAST\""
        + (adminUp ? ",\"UP\"" : "")
        + (carrier ? ",\"LOWER_UP\"" : "")
        + "],\"mtu\":1500"
        + (master == null ? "" : ",\"master\":\"" + master + "\"")
        + ",\"operstate\":\""
        + (carrier ? "UP" : adminUp ? "LOWERLAYERDOWN" : "DOWN")
        + "\",\"link_type\":\"ether\""
        + (nsid < 0 ? "" : ",\"link_netnsid\":" + nsid)
        + "}";
  }
}
