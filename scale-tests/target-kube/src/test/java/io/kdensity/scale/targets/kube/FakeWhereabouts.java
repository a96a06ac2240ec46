package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * whereabouts as the fake node's plugins call it: an ADD records the address in the IPPool of its
 * range (in {@code kube-system}, named by whereabouts' NormalizeRange: ':' and '/' become '-'),
 * keyed by the address's offset in the range, with the container's id, the pod ({@code podref}
 * "namespace/name") and the interface; a DEL frees the allocations of its container id. Pods whose
 * DEL is lost (a test's fault: the runtime lost the sandbox, a known source of stale whereabouts
 * allocations that its ip-reconciler exists to clean) keep theirs.
 */
final class FakeWhereabouts {
  static final String NAMESPACE = "kube-system";

  private final KubernetesClient client;

  /** Pods whose sandbox's CNI DEL never reaches whereabouts. */
  final Set<String> delLost = ConcurrentHashMap.newKeySet();

  FakeWhereabouts(KubernetesClient client) {
    this.client = client;
  }

  /**
   * CNI ADD: allocates {@code offset} of {@code range} (optimistic locking not modelled: serial).
   */
  synchronized void allocate(
      String range, long offset, String containerId, String podRef, String ifname) {
    String name = range.replace(":", "-").replace("/", "-");
    var pools =
        client.genericKubernetesResources(WhereaboutsAllocations.IPPOOL).inNamespace(NAMESPACE);
    GenericKubernetesResource pool = pools.withName(name).get();
    Map<String, Object> allocations = new LinkedHashMap<>();
    if (pool != null) {
      allocations.putAll(allocations(pool));
    }
    allocations.put(
        Long.toString(offset), Map.of("id", containerId, "podref", podRef, "ifname", ifname));
    GenericKubernetesResource updated =
        new GenericKubernetesResourceBuilder()
            .withApiVersion("whereabouts.cni.cncf.io/v1alpha1")
            .withKind("IPPool")
            .withNewMetadata()
            .withName(name)
            .withNamespace(NAMESPACE)
            .endMetadata()
            .addToAdditionalProperties("spec", Map.of("range", range, "allocations", allocations))
            .build();
    if (pool == null) {
      pools.resource(updated).create();
    } else {
      pools.resource(updated).update();
    }
  }

  /** CNI DEL of a pod's sandbox: frees what its container id holds, unless the DEL is lost. */
  synchronized void release(String containerId, String podName) {
    if (delLost.contains(podName)) {
      return;
    }
    var pools =
        client.genericKubernetesResources(WhereaboutsAllocations.IPPOOL).inNamespace(NAMESPACE);
    for (GenericKubernetesResource pool : pools.list().getItems()) {
      Map<String, Object> allocations = new LinkedHashMap<>(allocations(pool));
      if (allocations.values().removeIf(a -> containerId.equals(((Map<?, ?>) a).get("id")))) {
        @SuppressWarnings("unchecked")
        Map<String, Object> spec =
            new LinkedHashMap<>((Map<String, Object>) pool.getAdditionalProperties().get("spec"));
        spec.put("allocations", allocations);
        pool.getAdditionalProperties().put("spec", spec);
        pools.resource(pool).update();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> allocations(GenericKubernetesResource pool) {
    Map<String, Object> spec = (Map<String, Object>) pool.getAdditionalProperties().get("spec");
    Object a = spec == null ? null : spec.get("allocations");
    return a == null ? Map.of() : (Map<String, Object>) a;
  }
}
