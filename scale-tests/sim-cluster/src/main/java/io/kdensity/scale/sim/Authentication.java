package io.kdensity.scale.sim;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Optional;

/**
 * 401 for a request without a known bearer token, as kube-apiserver answers an unauthenticated
 * client (anonymous access to the API is not modelled); discovery and {@code /version} stay open
 * like the {@code system:public-info-viewer} role makes them.
 */
final class Authentication implements ApiHandler {
  private final Identities identities;

  Authentication(Identities identities) {
    this.identities = identities;
  }

  @Override
  public Optional<MockResponse> handle(RecordedRequest request, RequestPath path) {
    if (path == null || identities.userOf(request) != null) {
      return Optional.empty();
    }
    return Optional.of(ApiStatus.of(401, "Unauthorized", "Unauthorized"));
  }
}
