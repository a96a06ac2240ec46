package io.kdensity.scale.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.micrometer.core.instrument.MockClock;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Deletion as the API server's registry does it, on the store alone. */
class GracefulDeletionTest {
  private final ApiStore store = new ApiStore(List.of());
  private final MockClock clock = new MockClock();
  private final GracefulDeletion deletion = new GracefulDeletion(store, clock);

  private void create(String path, Object o) {
    store.dispatch(ApiStore.request(HttpMethod.POST, path, Serialization.asJson(o)));
  }

  private void delete(String path, String body) {
    var req = ApiStore.request(HttpMethod.DELETE, path, body);
    var answer = deletion.handle(req, RequestPath.parse(path).orElseThrow());
    assertThat(answer).isPresent();
  }

  @Test
  @DisplayName(
      "a namespace goes Terminating with the kubernetes finalizer and stays until it is finalized without finalizers")
  void namespaceLifecycle() {
    create(
        "/api/v1/namespaces",
        new NamespaceBuilder().withNewMetadata().withName("ns1").endMetadata().build());
    delete("/api/v1/namespaces/ns1", "");
    Namespace ns = store.get("/api/v1/namespaces/ns1", Namespace.class).orElseThrow();
    assertThat(ns.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(ns.getStatus().getPhase()).isEqualTo("Terminating");
    assertThat(ns.getSpec().getFinalizers()).containsExactly("kubernetes");
  }

  @Test
  @DisplayName(
      "a bound pod is deleted gracefully (deletionTimestamp, grace from the request), an unbound one at once, grace 0 at once")
  void podGrace() {
    create(
        "/api/v1/namespaces",
        new NamespaceBuilder().withNewMetadata().withName("ns2").endMetadata().build());
    for (String name : List.of("bound", "loose", "forced")) {
      Pod p =
          new PodBuilder()
              .withNewMetadata()
              .withName(name)
              .withNamespace("ns2")
              .endMetadata()
              .withNewSpec()
              .withNodeName(name.equals("loose") ? null : "n1")
              .addNewContainer()
              .withName("c")
              .withImage("i")
              .endContainer()
              .endSpec()
              .build();
      create("/api/v1/namespaces/ns2/pods", p);
    }
    delete("/api/v1/namespaces/ns2/pods/bound", "{\"gracePeriodSeconds\": 7}");
    delete("/api/v1/namespaces/ns2/pods/loose", "{\"gracePeriodSeconds\": 7}");
    delete("/api/v1/namespaces/ns2/pods/forced", "{\"gracePeriodSeconds\": 0}");
    Pod bound = store.get("/api/v1/namespaces/ns2/pods/bound", Pod.class).orElseThrow();
    assertThat(bound.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(7L);
    assertThat(bound.getMetadata().getDeletionTimestamp()).isNotNull();
    assertThat(store.get("/api/v1/namespaces/ns2/pods/loose", Pod.class)).isEmpty();
    assertThat(store.get("/api/v1/namespaces/ns2/pods/forced", Pod.class)).isEmpty();
  }
}
