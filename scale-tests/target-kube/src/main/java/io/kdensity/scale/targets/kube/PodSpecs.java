package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.kdensity.scale.plan.Plan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * The pods a run creates: pause containers pinned to the node under test by its name, asking Multus
 * for {@code net1..netK} (cycling through the attachments, with the fixed {@code ips} of those that
 * declare them), carrying the profile's pod sysctls.
 */
final class PodSpecs {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Tiny requests: the scheduler must not be what limits the density under test. */
  static final String CPU_REQUEST = "1m";

  static final String MEMORY_REQUEST = "4Mi";

  private final Plan plan;
  private final String runId;
  private final String namespace;
  private volatile Map<String, String> sysctls = Map.of();

  PodSpecs(Plan plan, String runId, String namespace) {
    this.plan = plan;
    this.runId = runId;
    this.namespace = namespace;
  }

  void setSysctls(Map<String, String> s) {
    this.sysctls = Map.copyOf(s);
  }

  Map<String, String> sysctls() {
    return sysctls;
  }

  /** {@code kd-<run>-p00042}. */
  String name(int index) {
    return String.format("kd-%s-p%05d", runId, index);
  }

  /** The pod number in a name made by {@link #name}. */
  static int index(String podName) {
    return Integer.parseInt(podName.substring(podName.lastIndexOf("-p") + 2));
  }

  /** The networks annotation of pod {@code pod}. */
  String networksAnnotation(int pod) {
    List<Map<String, Object>> nets = new ArrayList<>();
    for (int i = 1; i <= plan.interfacesPerPod(); i++) {
      Map<String, Object> net = new LinkedHashMap<>();
      net.put("name", plan.attachmentOf(i).name());
      net.put("interface", "net" + i);
      List<String> ips = plan.podAddresses(pod, i);
      if (!ips.isEmpty()) {
        net.put("ips", ips);
      }
      nets.add(net);
    }
    return JSON.writeValueAsString(nets);
  }

  Pod pod(int index) {
    List<Sysctl> podSysctls = new ArrayList<>();
    sysctls.forEach((k, v) -> podSysctls.add(new Sysctl(k, v)));
    return new PodBuilder()
        .withNewMetadata()
        .withName(name(index))
        .withNamespace(namespace)
        .withLabels(KubeLabels.ofRun(runId, KubeLabels.ROLE_POD))
        .withAnnotations(
            plan.interfacesPerPod() == 0
                ? Map.of()
                : Map.of(KubeLabels.NETWORKS, networksAnnotation(index)))
        .endMetadata()
        .withNewSpec()
        .withAffinity(NodePinning.affinity(plan.target().node()))
        .addNewToleration()
        .withOperator("Exists")
        .endToleration()
        .withTerminationGracePeriodSeconds(0L)
        .withAutomountServiceAccountToken(false)
        .withNewSecurityContext()
        .withSysctls(podSysctls)
        .endSecurityContext()
        .addNewContainer()
        .withName("pause")
        .withImage(plan.target().kube().image())
        .withNewResources()
        .addToRequests("cpu", new Quantity(CPU_REQUEST))
        .addToRequests("memory", new Quantity(MEMORY_REQUEST))
        .endResources()
        .endContainer()
        .endSpec()
        .build();
  }
}
