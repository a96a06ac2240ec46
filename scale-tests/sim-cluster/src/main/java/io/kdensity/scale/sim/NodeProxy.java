package io.kdensity.scale.sim;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The API server's proxy to the kubelet's own endpoints ({@code nodes/NAME/proxy/…}), for the one
 * kdensity reads: {@code /configz}, the kubelet's running KubeletConfiguration (maxPods,
 * allowedUnsafeSysctls), wrapped in {@code {"kubeletconfig": …}} as the kubelet serves it.
 */
final class NodeProxy implements ApiHandler {
  private final String nodeName;
  private final int maxPods;
  private final List<String> allowedUnsafeSysctls;

  NodeProxy(String nodeName, int maxPods, List<String> allowedUnsafeSysctls) {
    this.nodeName = nodeName;
    this.maxPods = maxPods;
    this.allowedUnsafeSysctls = List.copyOf(allowedUnsafeSysctls);
  }

  @Override
  public Optional<MockResponse> handle(RecordedRequest request, RequestPath path) {
    if (path == null || !path.is("", "nodes") || !path.subresource().equals("proxy")) {
      return Optional.empty();
    }
    if (!path.name().equals(nodeName)) {
      return Optional.of(ApiStatus.notFound("nodes", path.name()));
    }
    if (!path.rest().equals("configz")) {
      return Optional.of(new MockResponse().setResponseCode(404).setBody("404 page not found\n"));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("kind", "KubeletConfiguration");
    config.put("apiVersion", "kubelet.config.k8s.io/v1beta1");
    config.put("maxPods", maxPods);
    config.put("allowedUnsafeSysctls", allowedUnsafeSysctls);
    return Optional.of(ApiStatus.ok(Map.of("kubeletconfig", config)));
  }
}
