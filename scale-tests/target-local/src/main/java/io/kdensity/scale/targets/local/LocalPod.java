package io.kdensity.scale.targets.local;

import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.shell.RunningProcess;
import java.util.List;
import java.util.Map;

/**
 * A pod of the local target: its namespace, the pause-like anchor process that keeps a process in
 * the namespace (so probes read its /proc/net without starting one), and its interfaces.
 *
 * @param index pod number
 * @param name namespace name
 * @param sandbox the sandbox id the plugins were called with (CNI_CONTAINERID): new for every
 *     incarnation of the pod, as a runtime gives each sandbox its own
 * @param anchor the anchor process
 * @param interfaces interfaces attached, eth0 first
 * @param peers the host-side link (a veth) the plugin created in the node for an interface, by the
 *     pod's ifname; interfaces without one (macvlan) are absent
 * @param macs MAC address of each attached interface inside the pod, by ifname (as the plugin
 *     reported it)
 */
record LocalPod(
    int index,
    String name,
    String sandbox,
    RunningProcess anchor,
    List<PodInterface> interfaces,
    Map<String, String> peers,
    Map<String, String> macs) {
  LocalPod {
    interfaces = List.copyOf(interfaces);
    peers = Map.copyOf(peers);
    macs = Map.copyOf(macs);
  }

  /** Host-side links the plugins created in the node, for waiting on their removal. */
  List<String> hostLinks() {
    return List.copyOf(peers.values());
  }
}
