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
 * @param anchor the anchor process
 * @param interfaces interfaces attached, eth0 first
 * @param hostLinks host-side links the plugins created in the node (veths), for waiting on removal
 * @param macs MAC address of each attached interface inside the pod, by ifname (as the plugin
 *     reported it)
 */
record LocalPod(
    int index,
    String name,
    RunningProcess anchor,
    List<PodInterface> interfaces,
    List<String> hostLinks,
    Map<String, String> macs) {
  LocalPod {
    interfaces = List.copyOf(interfaces);
    hostLinks = List.copyOf(hostLinks);
    macs = Map.copyOf(macs);
  }
}
