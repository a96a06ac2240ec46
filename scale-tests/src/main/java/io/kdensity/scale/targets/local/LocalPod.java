package io.kdensity.scale.targets.local;

import io.kdensity.probes.probe.PodInterface;
import java.util.List;

/**
 * A pod of the local target: its namespace, the pause-like anchor process that keeps a process in
 * the namespace (so probes read its /proc/net without starting one), and its interfaces.
 *
 * @param index pod number
 * @param name namespace name
 * @param anchor the anchor process
 * @param interfaces interfaces attached, eth0 first
 * @param hostLinks host-side links the plugins created in the node (veths), for waiting on removal
 */
record LocalPod(
    int index, String name, Process anchor, List<PodInterface> interfaces, List<String> hostLinks) {
  LocalPod {
    interfaces = List.copyOf(interfaces);
    hostLinks = List.copyOf(hostLinks);
  }
}
