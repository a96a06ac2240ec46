package io.kdensity.scale.targets;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Layer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Failure messages as the real components word them, the cause kdensity reads in them, and the
 * layer that cause lives in: a knee set by the kubelet, IPAM or the control plane is not the node's
 * limit.
 */
class AttachFailuresTest {

  @ParameterizedTest(name = "{1} ({2}): {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // kubelet: RunPodSandbox past its deadline (the runtime's CNI ADD took longer)
        "Failed to create pod sandbox: rpc error: code = DeadlineExceeded desc = context deadline exceeded | SANDBOX_DEADLINE | KUBELET",
        // whereabouts through Multus: its IPPool update ran out of time
        "error adding container to network \"sat-a\": error at storage engine: k8s get error: context deadline exceeded | IPAM_CONTENTION | IPAM",
        "whereabouts: failed to get leader lock within 10s | IPAM_CONTENTION | IPAM",
        // whereabouts' pool is full: the same engine prefix, no deadline
        "Error at storage engine: Could not allocate IP in range: ip: fd00:10:2::1 / - fd00:10:2::6 | IPAM_EXHAUSTED | IPAM",
        "failed to allocate for range 0: no IP addresses available in range set: fd00:10:1::1-fd00:10:1::6 | IPAM_EXHAUSTED | IPAM",
        // API Priority and Fairness, and client-go's own limiter
        "pods \"kd-r1-p0007\" is forbidden: the server has received too many requests and has asked us to try again later (429) | API_THROTTLED | CONTROL_PLANE",
        "client rate limiter Wait returned an error: context deadline exceeded | API_THROTTLED | CONTROL_PLANE",
        "0/3 nodes are available: 1 Too many pods | NODE_POD_LIMIT | KUBELET",
        "0/3 nodes are available: 3 node(s) didn't match pod's node affinity/selector | UNSCHEDULABLE | CONTROL_PLANE",
        "failed to lookup master \"ens9\": Link not found | PLUGIN_MISCONFIGURED | CNI",
        "netlink: exchange full | BRIDGE_FULL | NODE_KERNEL",
        "Ready without all its interfaces in network-status: 1 of 3 interfaces listed | NETWORK_STATUS_MISSING | CNI",
        "something nobody wrote down | PLUGIN_ERROR | CNI",
      })
  void classifies(String message, Cause cause, Layer layer) {
    assertThat(AttachFailures.classify(message)).isEqualTo(cause);
    assertThat(cause.layer()).isEqualTo(layer);
  }
}
