package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;

/**
 * The admission plugins a create passes through, in the API server's order: NamespaceLifecycle (no
 * new content in a namespace that is missing or being terminated), ServiceAccount (a pod runs as
 * {@code default} unless it names another, which must exist), Priority ({@link PriorityAdmission}),
 * PodSecurity (the namespace's enforce level) and, on OpenShift, SecurityContextConstraints. A pod
 * the plugins change (service account, the {@code openshift.io/scc} annotation) is stored as
 * changed.
 */
final class Admission implements ApiHandler {
  private final ApiStore store;
  private final Identities identities;
  private final PodSecurity.Level defaultLevel;
  private final PriorityAdmission priority;
  private final SccAdmission scc;

  /**
   * @param scc OpenShift's SCC admission, or null on plain Kubernetes
   */
  Admission(
      ApiStore store,
      Identities identities,
      PodSecurity.Level defaultLevel,
      PriorityAdmission priority,
      SccAdmission scc) {
    this.store = store;
    this.identities = identities;
    this.defaultLevel = defaultLevel;
    this.priority = priority;
    this.scc = scc;
  }

  @Override
  public Optional<MockResponse> handle(RecordedRequest request, RequestPath path) {
    if (path == null || !request.getMethod().equals("POST") || path.namespace().isEmpty()) {
      return Optional.empty();
    }
    Optional<Namespace> ns = store.get(ApiStore.namespacePath(path.namespace()), Namespace.class);
    if (ns.isEmpty()) {
      return Optional.of(ApiStatus.notFound("namespaces", path.namespace()));
    }
    if (ns.get().getMetadata().getDeletionTimestamp() != null
        && !path.resource().equals("events")) {
      return Optional.of(
          ApiStatus.forbidden(
              path.resource(),
              "",
              "unable to create new content in namespace "
                  + path.namespace()
                  + " because it is being terminated"));
    }
    if (!path.is("", "pods") || !path.name().isEmpty()) {
      return Optional.empty();
    }
    Pod pod = Serialization.unmarshal(request.getUtf8Body(), Pod.class);
    String name =
        pod.getMetadata().getName() != null
            ? pod.getMetadata().getName()
            : pod.getMetadata().getGenerateName();
    if (pod.getSpec().getServiceAccountName() == null) {
      pod.getSpec().setServiceAccountName("default");
    }
    String sa = pod.getSpec().getServiceAccountName();
    if (store
        .get(
            "/api/v1/namespaces/" + path.namespace() + "/serviceaccounts/" + sa,
            ServiceAccount.class)
        .isEmpty()) {
      return Optional.of(
          ApiStatus.forbidden(
              "pods",
              name,
              "error looking up service account "
                  + path.namespace()
                  + "/"
                  + sa
                  + ": serviceaccount \""
                  + sa
                  + "\" not found"));
    }
    Optional<String> noPriority = priority.admit(pod, path.namespace());
    if (noPriority.isPresent()) {
      return Optional.of(ApiStatus.forbidden("pods", name, noPriority.get()));
    }
    PodSecurity.Level level = levelOf(ns.get());
    List<String> violations = PodSecurity.violations(pod, level);
    if (!violations.isEmpty()) {
      return Optional.of(ApiStatus.forbidden("pods", name, PodSecurity.refusal(level, violations)));
    }
    if (scc != null) {
      pod.getMetadata().setNamespace(path.namespace());
      SccAdmission.Admitted a = scc.admit(pod, identities.userOf(request));
      if (a.scc().isEmpty()) {
        return Optional.of(ApiStatus.forbidden("pods", name, a.refusal()));
      }
      var annotations =
          new HashMap<>(
              pod.getMetadata().getAnnotations() == null
                  ? java.util.Map.<String, String>of()
                  : pod.getMetadata().getAnnotations());
      annotations.put(SccAdmission.ANNOTATION, a.scc().get());
      pod.getMetadata().setAnnotations(annotations);
    }
    return Optional.of(
        store.dispatch(
            ApiStore.request(HttpMethod.POST, request.getPath(), Serialization.asJson(pod))));
  }

  private PodSecurity.Level levelOf(Namespace ns) {
    var labels = ns.getMetadata().getLabels();
    String l = labels == null ? null : labels.get(PodSecurity.ENFORCE_LABEL);
    if (l == null) {
      return defaultLevel;
    }
    try {
      return PodSecurity.Level.of(l);
    } catch (IllegalArgumentException e) {
      return defaultLevel; // the real admission rejects such a label when it is set
    }
  }
}
