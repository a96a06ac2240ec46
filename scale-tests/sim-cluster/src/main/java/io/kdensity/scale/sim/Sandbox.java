package io.kdensity.scale.sim;

import io.kdensity.probes.shell.RunningProcess;

/**
 * One pod sandbox: its id (what the runtime passes to CNI as {@code CNI_CONTAINERID} and Multus as
 * {@code K8S_POD_INFRA_CONTAINER_ID}), its network namespace, and its {@code /pause} process.
 *
 * @param id 64 hex digits, like containerd's sandbox ids
 * @param netns the namespace's name under {@code /run/netns}
 * @param podUid the pod it belongs to
 * @param pause the pause process (its cgroup names the pod's UID)
 */
record Sandbox(String id, String netns, String podUid, RunningProcess pause) {
  /** The namespace's path, as CNI_NETNS. */
  String netnsPath() {
    return "/run/netns/" + netns;
  }
}
