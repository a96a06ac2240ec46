package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.micrometer.core.instrument.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Deletion as the API server's registry does it for pods and namespaces, where the CRUD store would
 * remove the object at once.
 *
 * <ul>
 *   <li>A pod bound to a node is deleted gracefully ({@code pkg/registry/core/pod/strategy.go},
 *       CheckGracefulDelete): the grace period is the request's, else the pod's {@code
 *       terminationGracePeriodSeconds}, else 30 s; the pod gets {@code deletionTimestamp} and
 *       {@code deletionGracePeriodSeconds} and stays, Terminating, until its kubelet has stopped it
 *       and deletes it with grace 0. Grace 0 (a forced delete), a pod never scheduled and a pod
 *       that already ended go at once.
 *   <li>A namespace goes Terminating ({@code deletionTimestamp}, {@code status.phase}, the {@code
 *       kubernetes} finalizer); the namespace controller empties it and then finalizes it ({@code
 *       PUT …/finalize} without finalizers), which removes it.
 * </ul>
 */
final class GracefulDeletion implements ApiHandler {
  static final long DEFAULT_GRACE_SECONDS = 30;

  private final ApiStore store;
  private final Clock clock;

  GracefulDeletion(ApiStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public Optional<MockResponse> handle(RecordedRequest request, RequestPath path) {
    if (path == null) {
      return Optional.empty();
    }
    if (request.getMethod().equals("PUT")
        && path.is("", "namespaces")
        && path.subresource().equals("finalize")) {
      return Optional.of(finalizeNamespace(path.name(), request.getUtf8Body()));
    }
    if (!request.getMethod().equals("DELETE")) {
      return Optional.empty();
    }
    if (path.is("", "namespaces") && !path.name().isEmpty() && path.subresource().isEmpty()) {
      return Optional.of(deleteNamespace(path.name()));
    }
    if (!path.is("", "pods") || !path.subresource().isEmpty()) {
      return Optional.empty();
    }
    Long requested = gracePeriod(request, path);
    if (!path.name().isEmpty()) {
      return Optional.of(
          deletePod(ApiStore.podPath(path.namespace(), path.name()), requested)
              .map(ApiStatus::ok)
              .orElseGet(() -> ApiStatus.notFound("pods", path.name())));
    }
    // deletecollection: each selected pod as if deleted on its own
    String list = request.getPath();
    List<Pod> deleted = new ArrayList<>();
    for (Pod p : store.list(list, Pod.class)) {
      deletePod(
              ApiStore.podPath(p.getMetadata().getNamespace(), p.getMetadata().getName()),
              requested)
          .ifPresent(deleted::add);
    }
    return Optional.of(ApiStatus.ok(new PodListBuilder().withItems(deleted).build()));
  }

  /** The grace period the client asked for (DeleteOptions body or query), or null. */
  private static Long gracePeriod(RecordedRequest request, RequestPath path) {
    String body = request.getUtf8Body();
    if (body != null && !body.isBlank()) {
      DeleteOptions o = Serialization.unmarshal(body, DeleteOptions.class);
      if (o.getGracePeriodSeconds() != null) {
        return o.getGracePeriodSeconds();
      }
    }
    String q = path.param("gracePeriodSeconds", "");
    return q.isEmpty() ? null : Long.parseLong(q);
  }

  /** Deletes one pod gracefully or at once; the pod as it now is, or empty if there was none. */
  Optional<Pod> deletePod(String podPath, Long requested) {
    Optional<Pod> found = store.get(podPath, Pod.class);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Pod pod = found.get();
    long grace =
        requested != null
            ? requested
            : pod.getSpec().getTerminationGracePeriodSeconds() != null
                ? pod.getSpec().getTerminationGracePeriodSeconds()
                : DEFAULT_GRACE_SECONDS;
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean unscheduled =
        pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty();
    if (grace <= 0 || unscheduled || "Failed".equals(phase) || "Succeeded".equals(phase)) {
      store.remove(podPath);
      return Optional.of(pod);
    }
    Long current = pod.getMetadata().getDeletionGracePeriodSeconds();
    if (pod.getMetadata().getDeletionTimestamp() != null && current != null && current <= grace) {
      return Optional.of(pod); // already terminating, at least as fast
    }
    pod.getMetadata().setDeletionTimestamp(timestamp(clock.wallTime() + grace * 1000));
    pod.getMetadata().setDeletionGracePeriodSeconds(grace);
    store.update(podPath, pod);
    return store.get(podPath, Pod.class);
  }

  private MockResponse deleteNamespace(String name) {
    String p = ApiStore.namespacePath(name);
    Optional<Namespace> found = store.get(p, Namespace.class);
    if (found.isEmpty()) {
      return ApiStatus.notFound("namespaces", name);
    }
    Namespace ns = found.get();
    if (ns.getMetadata().getDeletionTimestamp() == null) {
      ns.getMetadata().setDeletionTimestamp(timestamp(clock.wallTime()));
      ns.setStatus(new NamespaceStatusBuilder().withPhase("Terminating").build());
      if (ns.getSpec() == null
          || ns.getSpec().getFinalizers() == null
          || ns.getSpec().getFinalizers().isEmpty()) {
        ns.setSpec(
            new io.fabric8.kubernetes.api.model.NamespaceSpecBuilder()
                .withFinalizers("kubernetes")
                .build());
      }
      store.update(p, ns);
    }
    return ApiStatus.ok(store.get(p, Namespace.class).orElse(ns));
  }

  private MockResponse finalizeNamespace(String name, String body) {
    String p = ApiStore.namespacePath(name);
    Optional<Namespace> found = store.get(p, Namespace.class);
    if (found.isEmpty()) {
      return ApiStatus.notFound("namespaces", name);
    }
    Namespace requested = Serialization.unmarshal(body, Namespace.class);
    Namespace ns = found.get();
    List<String> finalizers =
        requested.getSpec() == null || requested.getSpec().getFinalizers() == null
            ? List.of()
            : requested.getSpec().getFinalizers();
    if (ns.getMetadata().getDeletionTimestamp() != null && finalizers.isEmpty()) {
      store.remove(p);
      return ApiStatus.ok(ns);
    }
    ns.getSpec().setFinalizers(finalizers);
    store.update(p, ns);
    return ApiStatus.ok(ns);
  }

  static String timestamp(long epochMillis) {
    return DateTimeFormatter.ISO_INSTANT.format(
        Instant.ofEpochMilli(epochMillis).atZone(ZoneOffset.UTC).withNano(0));
  }
}
