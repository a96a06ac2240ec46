package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kdensity.probes.finding.FindingCode;
import io.kdensity.reports.model.Prediction.Headroom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The node's own limits on how many pods it takes, for the capacity model ({@code predict --pods N}
 * on a cluster): none needs a calibration, each is the node's figure against what the run's pods
 * and its probe pod need besides the pods of others already there. The kubelet's pod slots ({@code
 * maxPods}: it refuses the next pod with {@code OutOfpods}, the scheduler leaves it Pending with
 * "Too many pods") and the scheduler's fit of the pods' CPU and memory requests against the node's
 * allocatable. A pod that does not fit is an {@code ATTACH_FAILED} of cause {@code NODE_POD_LIMIT}
 * or {@code UNSCHEDULABLE} in a ramp. The preflight refuses a plan whose largest step does not fit
 * ({@link NodeCapacity}); this says where a larger density would stop.
 */
final class NodePodLimits {
  private NodePodLimits() {}

  /**
   * @param present the pods bound to the node that have not ended
   * @param runId this run's id: its own pods (and its probe pod) are not others'
   * @param pods the density predicted for
   */
  static List<Headroom> of(Node node, List<Pod> present, String runId, int pods) {
    List<Pod> others =
        present.stream()
            .filter(
                p ->
                    p.getMetadata().getLabels() == null
                        || !runId.equals(p.getMetadata().getLabels().get(KubeLabels.RUN)))
            .toList();
    Map<String, Quantity> allocatable =
        node.getStatus() == null || node.getStatus().getAllocatable() == null
            ? Map.of()
            : node.getStatus().getAllocatable();
    List<Headroom> out = new ArrayList<>();
    Optional.ofNullable(allocatable.get("pods"))
        .ifPresent(
            q -> {
              long slots = q.getNumericalAmount().longValue();
              // others + the probe pod + N fit while N ≤ slots − others − 1
              int at = (int) Math.max(1, slots - others.size());
              out.add(
                  new Headroom(
                      "kubelet pod slots (maxPods)",
                      FindingCode.ATTACH_FAILED,
                      slots,
                      "pods",
                      others.size() + 1L + pods,
                      others.size() + 1L + pods,
                      at,
                      at,
                      String.format(
                          "the node admits %,d pods (allocatable pods: the kubelet's maxPods);"
                              + " %,d of others run there and kdensity's probe pod takes one, so"
                              + " pod %,d of the run is refused (OutOfpods; the scheduler leaves"
                              + " it Pending: Too many pods)",
                          slots, others.size(), at)));
            });
    for (PodResource resource : PodResource.values()) {
      RequestFit.of(resource, allocatable, others)
          .map(fit -> requests(fit, pods))
          .ifPresent(out::add);
    }
    out.addAll(ovnAddresses(node, others, pods));
    return out;
  }

  /**
   * OVN-Kubernetes gives every pod not on the host network an address of the node's subnet (its
   * {@code k8s.ovn.org/node-subnets} annotation) and fails the sandbox of one that finds none; the
   * probe pod is on the host network. A node's {@code podCIDR} binds only a CNI that allocates from
   * it, so it is not a limit here (preflight warns).
   */
  private static List<Headroom> ovnAddresses(Node node, List<Pod> others, int pods) {
    String annotation =
        node.getMetadata().getAnnotations() == null
            ? null
            : node.getMetadata().getAnnotations().get(NodeCapacity.OVN_NODE_SUBNETS);
    if (annotation == null) {
      return List.of();
    }
    long used =
        others.stream().filter(p -> !Boolean.TRUE.equals(p.getSpec().getHostNetwork())).count();
    List<Headroom> out = new ArrayList<>();
    for (String subnet : NodeCapacity.ovnSubnets(annotation)) {
      java.math.BigInteger hosts = NodeCapacity.hosts(subnet);
      if (hosts == null || hosts.bitLength() > 31) {
        continue; // not a subnet, or one no density reaches
      }
      long size = hosts.longValue();
      int at = (int) Math.max(1, size - used + 1);
      out.add(
          new Headroom(
              "pod addresses of the node's OVN-Kubernetes subnet " + subnet,
              FindingCode.ATTACH_FAILED,
              size,
              "addresses",
              used + pods,
              used + pods,
              at,
              at,
              String.format(
                  "%,d host addresses, %,d of them others' pods: pod %,d of the run finds none"
                      + " (the cluster network's hostPrefix sets the subnet's size)",
                  size, used, at)));
    }
    return out;
  }

  /** The first of the run's pods that the scheduler no longer fits. */
  private static Headroom requests(RequestFit fit, int pods) {
    PodResource r = fit.resource();
    int fits = fit.fits();
    return new Headroom(
        r.key() + " requests against the node's allocatable",
        FindingCode.ATTACH_FAILED,
        r.in(fit.allocatable()),
        r.unit(),
        r.in(fit.need(pods)),
        r.in(fit.need(pods)),
        fits + 1,
        fits + 1,
        String.format(
            "%,d %s allocatable; the node's other pods and kdensity's probe pod request %,d,"
                + " each of the run's pods %s: %,d fit, and the scheduler leaves pod %,d"
                + " Pending (Insufficient %s)",
            r.in(fit.allocatable()),
            r.unit(),
            r.in(fit.taken()),
            r.runPodRequest(),
            fits,
            fits + 1,
            r.key()));
  }
}
