package io.kdensity.scale.targets.kube;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Whether a node can hold the plan's largest step, judged before anything is created, the way the
 * components that would refuse it judge: the kubelet's pod slots ({@code maxPods}, every pod bound
 * to the node that has not ended, the run's probe pod included), the scheduler's fit of CPU and
 * memory requests against the node's allocatable, and the primary network's pod addresses (the
 * node's pod subnet; OVN-Kubernetes' {@code k8s.ovn.org/node-subnets}).
 *
 * @param missing what makes the run impossible: preflight refuses it
 * @param warnings what may make it impossible, depending on what this check cannot see
 */
record NodeCapacity(List<String> missing, List<String> warnings) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** OVN-Kubernetes (OpenShift's default network) writes the node's pod subnets here. */
  static final String OVN_NODE_SUBNETS = "k8s.ovn.org/node-subnets";

  NodeCapacity {
    missing = List.copyOf(missing);
    warnings = List.copyOf(warnings);
  }

  /**
   * @param present the pods bound to the node that have not ended (Succeeded/Failed)
   * @param maxPods the plan's largest step
   * @param openshift whether kubelet settings change through a KubeletConfig
   */
  static NodeCapacity of(Node node, List<Pod> present, int maxPods, boolean openshift) {
    List<String> missing = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String name = node.getMetadata().getName();
    int needed = maxPods + 1; // the run's pods and its probe pod
    Map<String, Quantity> allocatable =
        node.getStatus() == null || node.getStatus().getAllocatable() == null
            ? Map.of()
            : node.getStatus().getAllocatable();
    Quantity pods = allocatable.get("pods");
    if (pods != null) {
      int slots = pods.getNumericalAmount().intValue();
      int free = Math.max(0, slots - present.size());
      if (free < needed) {
        missing.add(
            "node '"
                + name
                + "' admits "
                + slots
                + " pods (kubelet maxPods; the default is 110) and already runs "
                + present.size()
                + ", so "
                + free
                + " more fit, but the plan ramps to "
                + maxPods
                + " pods plus kdensity's probe pod: "
                + (openshift
                    ? "raise maxPods with a KubeletConfig for the node's MachineConfigPool"
                        + " (machineconfiguration.openshift.io/v1; the node reboots)"
                    : "raise maxPods in the node's KubeletConfiguration (or --max-pods) and"
                        + " restart kubelet")
                + ", or drain the node");
      }
    }
    for (PodResource resource : PodResource.values()) {
      RequestFit.of(resource, allocatable, present)
          .filter(fit -> fit.fits() < maxPods)
          .ifPresent(fit -> missing.add(shortOf(fit, maxPods, name)));
    }
    addresses(node, present, needed, maxPods, missing, warnings);
    return new NodeCapacity(missing, warnings);
  }

  /** Why {@code maxPods} run pods and the probe pod do not fit the node's allocatable. */
  private static String shortOf(RequestFit fit, int maxPods, String node) {
    PodResource resource = fit.resource();
    return "node '"
        + node
        + "' has "
        + resource.show(fit.allocatable().subtract(fit.others()).max(BigDecimal.ZERO))
        + " "
        + resource.key()
        + " allocatable left after its pods' requests, but "
        + maxPods
        + " pods at "
        + resource.runPodRequest()
        + " and the probe pod at "
        + resource.probePodRequest()
        + " request "
        + resource.show(fit.need(maxPods).subtract(fit.others()))
        + ": drain the node or lower the plan's largest step";
  }

  /**
   * The pods bound to {@code node} that have not ended (Succeeded/Failed): what the kubelet counts.
   */
  static List<Pod> present(KubernetesClient client, String node) {
    return client
        .pods()
        .inAnyNamespace()
        .withField("spec.nodeName", node)
        .list()
        .getItems()
        .stream()
        .filter(
            p ->
                p.getStatus() == null
                    || !List.of("Succeeded", "Failed").contains(p.getStatus().getPhase()))
        .toList();
  }

  /**
   * Every pod that is not on the host network takes one address of the node's pod subnet (per
   * family). OVN-Kubernetes allocates from its annotation: a hard limit. spec.podCIDR is a hard
   * limit only where the primary CNI allocates from it (host-local: flannel, kindnet, the bridge
   * plugin; Calico and Cilium's cluster pool allocate elsewhere), so it only warns.
   */
  private static void addresses(
      Node node,
      List<Pod> present,
      int needed,
      int maxPods,
      List<String> missing,
      List<String> warnings) {
    String name = node.getMetadata().getName();
    long used =
        present.stream().filter(p -> !Boolean.TRUE.equals(p.getSpec().getHostNetwork())).count();
    // the probe pod is on the host network: it takes no pod address
    long want = used + needed - 1;
    Optional<String> ovn =
        Optional.ofNullable(node.getMetadata().getAnnotations()).map(a -> a.get(OVN_NODE_SUBNETS));
    if (ovn.isPresent()) {
      for (String subnet : ovnSubnets(ovn.get())) {
        BigInteger hosts = hosts(subnet);
        if (tooSmall(hosts, want)) {
          missing.add(
              "node '"
                  + name
                  + "' gives pods addresses from its OVN-Kubernetes subnet "
                  + subnet
                  + " ("
                  + hosts
                  + " host addresses), "
                  + used
                  + " of them in use, but the plan ramps to "
                  + maxPods
                  + " pods: the cluster network's hostPrefix decides the subnet's size");
        }
      }
      return;
    }
    List<String> cidrs =
        node.getSpec() == null || node.getSpec().getPodCIDRs() == null
            ? List.of()
            : node.getSpec().getPodCIDRs();
    for (String cidr : cidrs) {
      BigInteger hosts = hosts(cidr);
      if (tooSmall(hosts, want)) {
        warnings.add(
            "node '"
                + name
                + "' has the pod subnet "
                + cidr
                + " ("
                + hosts
                + " host addresses), "
                + used
                + " of them in use, but the plan ramps to "
                + maxPods
                + " pods: a primary CNI that allocates from it (host-local IPAM: flannel, kindnet,"
                + " the bridge plugin) fails the pods beyond it with \"no IP addresses available\";"
                + " Calico and Cilium's cluster pool allocate elsewhere (the controller manager's"
                + " --node-cidr-mask-size sets its size)");
      }
    }
  }

  /** A subnet (null: not one) with fewer host addresses than the pods want. */
  private static boolean tooSmall(BigInteger hosts, long want) {
    return hosts != null && hosts.compareTo(BigInteger.valueOf(want)) < 0;
  }

  /** {"default":["10.128.2.0/23"]} or, in older releases, {"default":"10.128.2.0/23"}. */
  static List<String> ovnSubnets(String annotation) {
    try {
      JsonNode d = JSON.readTree(annotation).path("default");
      if (d.isString()) {
        return List.of(d.asString());
      }
      List<String> out = new ArrayList<>();
      d.forEach(n -> out.add(n.asString()));
      return out;
    } catch (JacksonException e) {
      return List.of();
    }
  }

  /**
   * The host addresses of a subnet: all of an IPv6 subnet, an IPv4 subnet without its network and
   * broadcast addresses (a /24 holds 254; the primary network's gateway, where it has one, takes
   * one more); null if the text is not a subnet.
   */
  static BigInteger hosts(String cidr) {
    IPAddress a = new IPAddressString(cidr.strip()).getAddress();
    if (a == null || a.getNetworkPrefixLength() == null) {
      return null;
    }
    BigInteger all = a.toPrefixBlock().getCount();
    return a.isIPv4() ? all.subtract(BigInteger.valueOf(2)).max(BigInteger.ZERO) : all;
  }
}
