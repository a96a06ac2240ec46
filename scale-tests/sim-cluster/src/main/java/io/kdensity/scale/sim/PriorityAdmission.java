package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.util.List;
import java.util.Optional;

/**
 * Pod priority at admission, as kube-apiserver's {@code Priority} plugin resolves it ({@code
 * plugin/pkg/admission/priority}): a {@code priorityClassName} names a PriorityClass (the API
 * server creates {@code system-node-critical} and {@code system-cluster-critical} at start) whose
 * value becomes {@code spec.priority}; an unknown name is refused. With {@code limitCritical}, the
 * {@code ResourceQuota} plugin configured as GKE and the Kubernetes docs' "limit priority class
 * consumption by default" configure it: a critical pod outside {@code kube-system} is admitted only
 * in a namespace with a ResourceQuota whose scopeSelector covers its class.
 */
final class PriorityAdmission {
  static final List<String> CRITICAL = List.of("system-node-critical", "system-cluster-critical");

  private final ApiStore store;
  private final boolean limitCritical;

  PriorityAdmission(ApiStore store, boolean limitCritical) {
    this.store = store;
    this.limitCritical = limitCritical;
  }

  /** Sets the pod's priority; the refusal's message if it may not be created. */
  Optional<String> admit(Pod pod, String namespace) {
    String name = pod.getSpec().getPriorityClassName();
    if (name == null || name.isEmpty()) {
      pod.getSpec().setPriority(0);
      return Optional.empty();
    }
    Optional<PriorityClass> pc =
        store.get("/apis/scheduling.k8s.io/v1/priorityclasses/" + name, PriorityClass.class);
    if (pc.isEmpty()) {
      return Optional.of("no PriorityClass with name " + name + " was found");
    }
    pod.getSpec().setPriority(pc.get().getValue());
    if (limitCritical
        && CRITICAL.contains(name)
        && !namespace.equals("kube-system")
        && !coveredByQuota(namespace, name)) {
      return Optional.of(
          "insufficient quota to match these scopes: [{PriorityClass In ["
              + String.join(" ", CRITICAL)
              + "]}]");
    }
    return Optional.empty();
  }

  private boolean coveredByQuota(String namespace, String className) {
    for (ResourceQuota q :
        store.list("/api/v1/namespaces/" + namespace + "/resourcequotas", ResourceQuota.class)) {
      var selector = q.getSpec() == null ? null : q.getSpec().getScopeSelector();
      if (selector == null || selector.getMatchExpressions() == null) {
        continue;
      }
      boolean covers =
          selector.getMatchExpressions().stream()
              .anyMatch(
                  e ->
                      "PriorityClass".equals(e.getScopeName())
                          && "In".equals(e.getOperator())
                          && e.getValues() != null
                          && e.getValues().contains(className));
      if (covers) {
        return true;
      }
    }
    return false;
  }
}
