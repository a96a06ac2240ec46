package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

/**
 * {@code GET /api/v1/namespaces/NS/pods/NAME/exec?command=…&container=…&stdin=…}: the checks the
 * API server and the kubelet make before upgrading the connection, with their status codes and
 * words, then an {@link ExecSession} on the WebSocket. The command's words travel in the URL, one
 * {@code command} parameter each, so a command longer than the server's request limit ({@link
 * ApiServer#MAX_HEADER_BYTES}) never arrives.
 */
final class ExecEndpoint implements ApiHandler {
  private final ApiStore store;
  private final ContainerExec runtime;
  private final ExecutorService pumps;

  ExecEndpoint(ApiStore store, ContainerExec runtime, ExecutorService pumps) {
    this.store = store;
    this.runtime = runtime;
    this.pumps = pumps;
  }

  @Override
  public Optional<MockResponse> handle(RecordedRequest request, RequestPath path) {
    if (path == null || !path.is("", "pods") || !path.subresource().equals("exec")) {
      return Optional.empty();
    }
    String upgrade = request.getHeader("Upgrade");
    if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
      // SPDY is not served: fabric8 and kubectl ≥ 1.31 speak WebSocket
      return Optional.of(ApiStatus.badRequest("Upgrade request required"));
    }
    Optional<Pod> found = store.get(ApiStore.podPath(path.namespace(), path.name()), Pod.class);
    if (found.isEmpty()) {
      return Optional.of(ApiStatus.notFound("pods", path.name()));
    }
    Pod pod = found.get();
    if (pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
      return Optional.of(
          ApiStatus.badRequest("pod " + path.name() + " does not have a host assigned"));
    }
    List<String> names = pod.getSpec().getContainers().stream().map(Container::getName).toList();
    String container = path.param("container", "");
    if (container.isEmpty()) {
      if (names.size() != 1) {
        return Optional.of(
            ApiStatus.badRequest(
                "a container name must be specified for pod "
                    + path.name()
                    + ", choose one of: "
                    + names));
      }
      container = names.get(0);
    } else if (!names.contains(container)) {
      return Optional.of(
          ApiStatus.badRequest("container " + container + " is not valid for pod " + path.name()));
    }
    List<String> argv = path.query().getOrDefault("command", List.of());
    if (argv.isEmpty()) {
      return Optional.of(ApiStatus.badRequest("you must specify at least 1 command"));
    }
    String why = runtime.notRunning(pod, container);
    if (why != null) {
      return Optional.of(
          ApiStatus.of(500, "InternalError", "unable to upgrade connection: " + why));
    }
    boolean stdin = Boolean.parseBoolean(path.param("stdin", "false"));
    return Optional.of(
        new MockResponse()
            .withWebSocketUpgrade(
                new ExecSession(runtime, pod, container, List.copyOf(argv), stdin, pumps)));
  }
}
