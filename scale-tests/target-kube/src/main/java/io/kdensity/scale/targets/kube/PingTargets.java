package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.kdensity.scale.targets.PeerRing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What each pod pings to prove its secondary addresses work: the network's gateway when its IPAM
 * declares one, else a peer (the next pod, in creation order, with an address on the same network;
 * the last pod pings the first); and with {@code peers: k}, its k peers on each network ({@link
 * PeerRing}).
 */
final class PingTargets {
  private PingTargets() {}

  /**
   * @param pods the current pods, in creation order
   * @param gateways network → its gateways (empty when the IPAM names none)
   * @param peers peers each pod pings on every network besides
   * @return pod → (address to ping → the pod's own addresses it vouches for)
   */
  static Map<Pod, Map<String, List<String>>> of(
      List<Pod> pods, Map<String, List<String>> gateways, int peers) {
    Map<String, List<Member>> byNetwork = new LinkedHashMap<>();
    for (Pod p : pods) {
      for (NetworkStatus.Entry e : NetworkStatus.of(p).entries()) {
        if (!e.isDefault() && !e.ips().isEmpty()) {
          byNetwork.computeIfAbsent(e.network(), k -> new ArrayList<>()).add(new Member(p, e));
        }
      }
    }
    Map<Pod, Map<String, List<String>>> out = new HashMap<>();
    byNetwork.forEach(
        (network, members) -> {
          List<String> gws = gateways.getOrDefault(network, List.of());
          for (int i = 0; i < members.size(); i++) {
            Member m = members.get(i);
            Set<String> to =
                new LinkedHashSet<>(
                    !gws.isEmpty()
                        ? gws
                        : members.size() > 1
                            ? List.of(members.get((i + 1) % members.size()).entry().ips().get(0))
                            : List.of());
            PeerRing.peersOf(members, i, peers).forEach(p -> to.add(p.entry().ips().get(0)));
            for (String target : to) {
              out.computeIfAbsent(m.pod(), k -> new LinkedHashMap<>())
                  .computeIfAbsent(target, k -> new ArrayList<>())
                  .addAll(m.entry().ips());
            }
          }
        });
    return out;
  }

  private record Member(Pod pod, NetworkStatus.Entry entry) {}
}
