package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.kdensity.scale.plan.Attachment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The addresses whereabouts holds for the run's pods: the allocations of its IPPool resources whose
 * {@code podref} is in the run's namespace. Whereabouts frees an allocation on the CNI DEL of its
 * container; one whose DEL never came stays until its ip-reconciler runs. At a constant pod count
 * the number is flat, so one that keeps rising under churn is a leak, attributable to the run even
 * on a node other workloads share.
 */
final class WhereaboutsAllocations {
  /** whereabouts' IPPool (pkg/api/whereabouts.cni.cncf.io/v1alpha1), in its own namespace. */
  static final ResourceDefinitionContext IPPOOL =
      new ResourceDefinitionContext.Builder()
          .withGroup("whereabouts.cni.cncf.io")
          .withVersion("v1alpha1")
          .withKind("IPPool")
          .withPlural("ippools")
          .withNamespaced(true)
          .build();

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final KubernetesClient client;
  private final boolean used;
  private volatile boolean unreadable;

  /**
   * @param attachments the plan's networks; counting is on when one uses whereabouts IPAM
   */
  WhereaboutsAllocations(KubernetesClient client, List<Attachment> attachments) {
    this.client = client;
    this.used = attachments.stream().anyMatch(WhereaboutsAllocations::usesWhereabouts);
  }

  static boolean usesWhereabouts(Attachment a) {
    try {
      JsonNode c = JSON.readTree(a.config());
      if ("whereabouts".equals(c.path("ipam").path("type").asString(""))) {
        return true;
      }
      for (JsonNode plugin : c.path("plugins")) {
        if ("whereabouts".equals(plugin.path("ipam").path("type").asString(""))) {
          return true;
        }
      }
    } catch (JacksonException e) {
      // the plan reader checked every config: not reached
    }
    return false;
  }

  /**
   * Why the run's allocations cannot be counted, for preflight's warnings: no IPPool CRD
   * (whereabouts not installed) or no permission to list IPPools. Empty when they can, or no
   * network uses whereabouts.
   */
  Optional<String> unreadableWhy() {
    if (!used) {
      return Optional.empty();
    }
    try {
      client.genericKubernetesResources(IPPOOL).inAnyNamespace().list();
      return Optional.empty();
    } catch (KubernetesClientException e) {
      unreadable = true;
      return Optional.of(
          "whereabouts' IPPools cannot be listed ("
              + (e.getCode() == 403
                  ? "forbidden: grant list on ippools.whereabouts.cni.cncf.io, see"
                      + " scale-tests/kube/rbac.yaml"
                  : e.getCode() == 404
                      ? "no ippools.whereabouts.cni.cncf.io resource: is whereabouts installed?"
                      : e.getMessage())
              + "); a soak does not count the run's IPAM allocations for leaks");
    }
  }

  /**
   * The allocations of pods in {@code namespace}; empty when no network uses whereabouts or its
   * IPPools cannot be listed (no CRD, no permission: then not asked again).
   */
  Optional<Long> of(String namespace) {
    if (!used || unreadable) {
      return Optional.empty();
    }
    List<GenericKubernetesResource> pools;
    try {
      pools = client.genericKubernetesResources(IPPOOL).inAnyNamespace().list().getItems();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403 || e.getCode() == 404) {
        unreadable = true;
      }
      return Optional.empty();
    }
    String prefix = namespace + "/";
    long n = 0;
    for (GenericKubernetesResource pool : pools) {
      if (pool.getAdditionalProperties().get("spec") instanceof Map<?, ?> spec
          && spec.get("allocations") instanceof Map<?, ?> allocations) {
        for (Object a : allocations.values()) {
          if (a instanceof Map<?, ?> m
              && m.get("podref") instanceof String ref
              && ref.startsWith(prefix)) {
            n++;
          }
        }
      }
    }
    return Optional.of(n);
  }
}
