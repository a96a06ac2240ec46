package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.zjsonpatch.JsonPatch;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Updates (PUT, PATCH) of a pod or namespace that is Terminating: the API server applies them and
 * keeps the object (a kubelet reports a stopping pod's status, Multus its network-status) until the
 * pod's final delete or the namespace's finalize. The CRUD store would remove such an object on any
 * write, so these writes are applied here: PUT's body, or a JSON patch (RFC 6902, what fabric8's
 * {@code edit} sends) or merge patch (RFC 7386; a strategic merge patch is applied as one).
 */
final class TerminatingWrites implements ApiHandler {
  private final ApiStore store;

  TerminatingWrites(ApiStore store) {
    this.store = store;
  }

  @Override
  public Optional<MockResponse> handle(RecordedRequest request, RequestPath path) {
    String method = request.getMethod();
    if (path == null
        || !(method.equals("PUT") || method.equals("PATCH"))
        || path.name().isEmpty()
        || !(path.is("", "pods") || path.is("", "namespaces"))
        || !(path.subresource().isEmpty() || path.subresource().equals("status"))) {
      return Optional.empty();
    }
    String objectPath = request.getPath().replaceAll("\\?.*", "").replaceAll("/status$", "");
    Optional<JsonNode> current = store.json(objectPath);
    if (current.isEmpty()
        || current.get().path("metadata").path("deletionTimestamp").isMissingNode()
        || current.get().path("metadata").path("deletionTimestamp").isNull()) {
      return Optional.empty(); // the store's own update is right for a live object
    }
    JsonNode body = Serialization.unmarshal(request.getUtf8Body(), JsonNode.class);
    JsonNode updated;
    if (method.equals("PUT")) {
      updated = body;
    } else {
      String type = String.valueOf(request.getHeader("Content-Type"));
      updated =
          type.contains("json-patch")
              ? JsonPatch.apply(body, current.get())
              : merge(current.get().deepCopy(), body);
    }
    // the object stays Terminating, whatever the write said of that
    ((ObjectNode) updated.path("metadata"))
        .set("deletionTimestamp", current.get().path("metadata").path("deletionTimestamp"));
    GenericKubernetesResource r =
        Serialization.unmarshal(Serialization.asJson(updated), GenericKubernetesResource.class);
    if (!store.replace(objectPath, r)) {
      return Optional.of(ApiStatus.notFound(path.resource(), path.name()));
    }
    return Optional.of(
        new MockResponse()
            .setResponseCode(200)
            .setHeader("Content-Type", "application/json")
            .setBody(store.json(objectPath).map(Serialization::asJson).orElse("{}")));
  }

  /** RFC 7386: objects merge key by key, null removes a key, anything else replaces. */
  static JsonNode merge(JsonNode target, JsonNode patch) {
    if (!patch.isObject()) {
      return patch;
    }
    ObjectNode t =
        target.isObject() ? (ObjectNode) target : Serialization.jsonMapper().createObjectNode();
    for (var e : patch.properties()) {
      if (e.getValue().isNull()) {
        t.remove(e.getKey());
      } else {
        t.set(e.getKey(), merge(t.path(e.getKey()), e.getValue()));
      }
    }
    return t;
  }
}
