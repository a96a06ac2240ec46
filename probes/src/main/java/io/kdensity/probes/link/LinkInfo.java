package io.kdensity.probes.link;

import java.util.List;
import java.util.Objects;

/**
 * One network link.
 *
 * @param ifindex interface index in its namespace
 * @param name interface name
 * @param kind {@code info_kind} (veth, macvlan, ipvlan, bridge, vxlan, …) or {@code device} for a
 *     physical/loopback device without link info
 * @param master name of the bridge (or bond) this link is a port of, or {@code null}
 * @param address MAC address
 * @param promiscuity promiscuity counter (&gt; 0 means the device is in promiscuous mode)
 * @param operstate UP, DOWN, UNKNOWN, LOWERLAYERDOWN…
 * @param parentIndex for macvlan/ipvlan/veth: {@code link} ifindex of the parent/peer, or -1
 * @param parentNetnsid the namespace id ({@code link_netnsid}) under which this link's namespace
 *     knows the namespace of its parent/peer, or -1 when that is this link's own namespace
 * @param flags link flags as printed (UP, LOWER_UP, PROMISC…)
 * @param fdbMaxLearned for bridges: {@code fdb_max_learned} if the kernel and iproute2 print it,
 *     else -1
 * @param stats packet counters (zero if not requested with {@code -s})
 */
public record LinkInfo(
    int ifindex,
    String name,
    String kind,
    String master,
    String address,
    int promiscuity,
    String operstate,
    int parentIndex,
    int parentNetnsid,
    List<String> flags,
    long fdbMaxLearned,
    LinkStats stats) {

  public LinkInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    flags = List.copyOf(flags);
    stats = stats == null ? LinkStats.ZERO : stats;
  }

  public boolean isKind(String k) {
    return kind.equals(k);
  }

  public boolean promiscuous() {
    return promiscuity > 0 || flags.contains("PROMISC");
  }
}
