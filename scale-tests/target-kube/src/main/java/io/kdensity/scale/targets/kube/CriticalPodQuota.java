package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirementBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Lets the probe pod run at {@value #PRIORITY_CLASS} priority in the run's namespace. Kubernetes
 * admits critical pods in any namespace since 1.17, but a cluster may limit them to namespaces with
 * a ResourceQuota for their class (the ResourceQuota plugin's {@code limitedResources}, the
 * Kubernetes docs' "limit priority class consumption by default"; GKE does it: "insufficient quota
 * to match these scopes: [{PriorityClass In [system-node-critical system-cluster-critical]}]"). The
 * quota names only the scope and no hard limit, as kube-apiserver's own quota for kube-system does:
 * with nothing to count, admission never waits for the quota controller's first sync.
 */
final class CriticalPodQuota {
  static final String PRIORITY_CLASS = "system-node-critical";
  static final String NAME = "kdensity-probe-critical";

  private CriticalPodQuota() {}

  static void create(KubernetesClient client, String namespace, String runId) {
    client
        .resourceQuotas()
        .inNamespace(namespace)
        .resource(
            new ResourceQuotaBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(namespace)
                .withLabels(KubeLabels.ofRun(runId))
                .endMetadata()
                .withNewSpec()
                .withNewScopeSelector()
                .withMatchExpressions(
                    new ScopedResourceSelectorRequirementBuilder()
                        .withScopeName("PriorityClass")
                        .withOperator("In")
                        .withValues(PRIORITY_CLASS)
                        .build())
                .endScopeSelector()
                .endSpec()
                .build())
        .create();
  }
}
