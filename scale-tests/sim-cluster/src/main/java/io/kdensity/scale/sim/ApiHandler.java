package io.kdensity.scale.sim;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Optional;

/**
 * One part of the API server's request handling in front of the store: discovery, admission,
 * graceful deletion, exec. Handlers are asked in order; the first reply wins, and a request no
 * handler answers goes to the {@link ApiStore}.
 */
interface ApiHandler {

  /**
   * @param path the request's API path, or null for a path outside {@code /api} and {@code /apis}
   * @return the reply, or empty to pass the request on
   */
  Optional<MockResponse> handle(RecordedRequest request, RequestPath path);
}
