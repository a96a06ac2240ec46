package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import tools.jackson.databind.JsonNode;

/**
 * The API server's storage: fabric8's CRUD mock store ({@code KubernetesCrudDispatcher}), which
 * keeps objects, assigns uid, creationTimestamp and resourceVersion, filters lists by namespace,
 * label and {@code metadata.name}, and feeds watches. What a real API server adds on top
 * (admission, graceful deletion, the namespace lifecycle, exec) is done by the handlers in front of
 * it; they read and write the store through this class, as the registry code reads and writes etcd.
 *
 * <p>{@link #update} writes an object as it is, under the store's own write lock, with a new
 * resourceVersion and a MODIFIED event: the mock's PUT and PATCH delete an object that carries a
 * deletionTimestamp and no metadata finalizers (its model of finalization), where a real API server
 * keeps a Terminating pod until its kubelet deletes it.
 */
final class ApiStore {
  private final Store crud;

  ApiStore(List<CustomResourceDefinitionContext> customResources) {
    this.crud = new Store(customResources);
    // any write takes the store's write lock once, which tells the store which lock that is
    crud.handleDelete("/api/v1/namespaces/kd-sim-none/pods/kd-sim-none");
  }

  /** The CRUD store, which shows this class its write lock (through its test hook). */
  private static final class Store extends KubernetesCrudDispatcher {
    private volatile Lock writeLock;

    Store(List<CustomResourceDefinitionContext> customResources) {
      super(customResources);
    }

    @Override
    protected void locked(Lock lock) {
      if (writeLock == null && lock instanceof ReentrantReadWriteLock.WriteLock) {
        writeLock = lock;
      }
    }
  }

  /** A request as the store answers it (CRUD and watches). */
  MockResponse dispatch(RecordedRequest request) {
    return crud.dispatch(request);
  }

  /** The object at {@code path}, if stored. */
  <T extends HasMetadata> Optional<T> get(String path, Class<T> type) {
    MockResponse r = crud.handleGet(path);
    if (r.code() != 200 || r.getBody() == null || r.getBody().size() == 0) {
      return Optional.empty();
    }
    return Optional.of(Serialization.unmarshal(r.getBody().readUtf8(), type));
  }

  /** The objects of a list path ({@code /api/v1/namespaces/ns/pods}). */
  @SuppressWarnings("unchecked")
  <T extends HasMetadata> List<T> list(String path, Class<T> type) {
    MockResponse r = crud.handleGet(path);
    if (r.code() != 200 || r.getBody() == null || r.getBody().size() == 0) {
      return List.of();
    }
    KubernetesList l = Serialization.unmarshal(r.getBody().readUtf8(), KubernetesList.class);
    return l.getItems().stream()
        .map(i -> Serialization.unmarshal(Serialization.asJson(i), type))
        .toList();
  }

  /**
   * Replaces the object at {@code path} as it is (watchers see MODIFIED), keeping its uid and
   * creationTimestamp; false if it is gone.
   */
  boolean update(String path, HasMetadata object) {
    return replace(
        path,
        Serialization.unmarshal(Serialization.asJson(object), GenericKubernetesResource.class));
  }

  /** {@link #update} of an object given as JSON. */
  boolean replace(String path, GenericKubernetesResource updated) {
    Lock lock = crud.writeLock;
    lock.lock();
    try {
      AttributeSet key = crud.getKey(path);
      Map.Entry<AttributeSet, String> current = crud.findResource(key);
      if (current == null) {
        return false;
      }
      GenericKubernetesResource was =
          Serialization.unmarshal(current.getValue(), GenericKubernetesResource.class);
      updated.getMetadata().setUid(was.getMetadata().getUid());
      updated.getMetadata().setCreationTimestamp(was.getMetadata().getCreationTimestamp());
      updated.getMetadata().setResourceVersion(Long.toString(crud.requestResourceVersion()));
      crud.processEvent(path, key, current.getKey(), updated, Serialization.asJson(updated));
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The stored JSON of the object at {@code path}, if any. */
  Optional<JsonNode> json(String path) {
    MockResponse r = crud.handleGet(path);
    if (r.code() != 200 || r.getBody() == null || r.getBody().size() == 0) {
      return Optional.empty();
    }
    return Optional.of(Serialization.unmarshal(r.getBody().readUtf8(), JsonNode.class));
  }

  /** Removes the object at {@code path} for good (watchers see DELETED). */
  void remove(String path) {
    crud.handleDelete(path);
  }

  static RecordedRequest request(HttpMethod method, String path, String body) {
    return new RecordedRequest(
        "HTTP/1.1",
        method,
        path,
        Headers.builder().add("Content-Type", "application/json").build(),
        new Buffer(body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8)));
  }

  static String podPath(String namespace, String name) {
    return "/api/v1/namespaces/" + namespace + "/pods/" + name;
  }

  static String namespacePath(String name) {
    return "/api/v1/namespaces/" + name;
  }
}
