package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodListBuilder;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Optional;

/**
 * Pod lists by {@code spec.nodeName} ({@code ?fieldSelector=spec.nodeName=N}, how the kubelet and
 * {@code kubectl describe node} list a node's pods): the CRUD store selects on metadata fields
 * only, the API server also on this one. Watches by it are not modelled.
 */
final class FieldSelectors implements ApiHandler {
  private final ApiStore store;

  FieldSelectors(ApiStore store) {
    this.store = store;
  }

  @Override
  public Optional<MockResponse> handle(RecordedRequest request, RequestPath path) {
    if (path == null || !request.getMethod().equals("GET") || !path.is("", "pods")) {
      return Optional.empty();
    }
    String selector = path.param("fieldSelector", "");
    if (!selector.startsWith("spec.nodeName=") || !path.param("watch", "").isEmpty()) {
      return Optional.empty();
    }
    String node = selector.substring("spec.nodeName=".length());
    String list =
        path.namespace().isEmpty()
            ? "/api/v1/pods"
            : "/api/v1/namespaces/" + path.namespace() + "/pods";
    List<Pod> pods =
        store.list(list, Pod.class).stream()
            .filter(p -> node.equals(p.getSpec().getNodeName()))
            .toList();
    return Optional.of(ApiStatus.ok(new PodListBuilder().withItems(pods).build()));
  }
}
