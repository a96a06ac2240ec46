package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;

/**
 * The API server's error replies: a {@code v1 Status} with the code, reason and message the real
 * server sends ({@code k8s.io/apimachinery/pkg/api/errors}).
 */
final class ApiStatus {
  private ApiStatus() {}

  static MockResponse of(int code, String reason, String message) {
    Status s =
        new StatusBuilder()
            .withApiVersion("v1")
            .withKind("Status")
            .withStatus("Failure")
            .withCode(code)
            .withReason(reason)
            .withMessage(message)
            .build();
    return new MockResponse()
        .setResponseCode(code)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(s));
  }

  /** 403 Forbidden: {@code pods "x" is forbidden: <why>} (admission and RBAC refusals). */
  static MockResponse forbidden(String kindPlural, String name, String why) {
    return of(403, "Forbidden", kindPlural + " \"" + name + "\" is forbidden: " + why);
  }

  /** 404 NotFound: {@code pods "x" not found}. */
  static MockResponse notFound(String kindPlural, String name) {
    return of(404, "NotFound", kindPlural + " \"" + name + "\" not found");
  }

  /** 400 BadRequest. */
  static MockResponse badRequest(String message) {
    return of(400, "BadRequest", message);
  }

  /** 200 with an object as JSON. */
  static MockResponse ok(Object body) {
    return new MockResponse()
        .setResponseCode(200)
        .setHeader("Content-Type", "application/json")
        .setBody(Serialization.asJson(body));
  }
}
