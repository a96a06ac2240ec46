package io.kdensity.scale.sim;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.vertx.HttpServerRequestHandler;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.scale.targets.InfrastructureException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The simulated API server's HTTP front: a Vert.x server with the real kube-apiserver's request
 * limit and exec subprotocols, asking its {@link ApiHandler}s in order and then the {@link
 * ApiStore}.
 *
 * <p>Why not fabric8's {@code KubernetesMockServer} as it is: its server takes request lines of at
 * most 4,096 bytes (Vert.x's default), while kube-apiserver's Go server takes 1 MiB of request line
 * and headers ({@code MaxHeaderBytes: 1 << 20} in {@code k8s.io/apiserver/.../secure_serving.go}),
 * so exec URLs that pass on a real cluster would fail here. The request handling (reading bodies,
 * upgrading WebSockets) is fabric8's own ({@link HttpServerRequestHandler}).
 */
final class ApiServer implements AutoCloseable {
  /** kube-apiserver's MaxHeaderBytes (request line and headers); Go allows 4,096 bytes more. */
  static final int MAX_HEADER_BYTES = (1 << 20) + 4096;

  /**
   * The largest WebSocket frame and message the kubelet's stream server takes: golang.org/x/net
   * websocket's DefaultMaxPayloadBytes, 32 MiB (Vert.x's defaults, 64 KiB frames, would close the
   * stream on a client's big stdin write).
   */
  static final int MAX_WEBSOCKET_PAYLOAD = 32 << 20;

  /**
   * The exec subprotocols served: {@code v4.channel.k8s.io} is what fabric8 8.0.0 asks for; v1–v3
   * are what the API server still accepts (v5, which can close stdin, is served from Kubernetes
   * 1.30 and not modelled: no client kdensity uses speaks it).
   */
  static final List<String> EXEC_PROTOCOLS =
      List.of("v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io");

  private final Vertx vertx;
  private final ApiStore store;
  private final List<ApiHandler> handlers;
  private final Consumer<String> log;
  private final ThreadFactory watchWriters = DaemonThreads.named("kd-sim-watch-write");
  private HttpServer server;

  ApiServer(Vertx vertx, ApiStore store, List<ApiHandler> handlers, Consumer<String> log) {
    this.vertx = vertx;
    this.store = store;
    this.handlers = List.copyOf(handlers);
    this.log = log;
  }

  /** Listens on {@code host:port} (0: any free port) and returns the port. */
  int start(String host, int port) {
    HttpServerOptions options =
        new HttpServerOptions()
            .setHost(host)
            .setPort(port)
            .setMaxInitialLineLength(MAX_HEADER_BYTES)
            .setMaxHeaderSize(MAX_HEADER_BYTES)
            .setWebSocketSubProtocols(EXEC_PROTOCOLS)
            .setMaxWebSocketFrameSize(MAX_WEBSOCKET_PAYLOAD)
            .setMaxWebSocketMessageSize(MAX_WEBSOCKET_PAYLOAD)
            .setHandle100ContinueAutomatically(true);
    HttpServerRequestHandler handler =
        new HttpServerRequestHandler(vertx) {
          @Override
          protected MockResponse onHttpRequest(RecordedRequest request) {
            return route(request);
          }
        };
    try {
      server =
          vertx
              .createHttpServer(options)
              .requestHandler(handler)
              .listen()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new InfrastructureException(
          "cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
    return server.actualPort();
  }

  MockResponse route(RecordedRequest request) {
    RequestPath path = RequestPath.parse(request.getPath()).orElse(null);
    try {
      for (ApiHandler h : handlers) {
        Optional<MockResponse> r = h.handle(request, path);
        if (r.isPresent()) {
          return r.get();
        }
      }
      MockResponse r = store.dispatch(request);
      if (r.getWebSocketListener() != null) {
        r.withWebSocketUpgrade(new AsyncWatchSends(r.getWebSocketListener(), watchWriters));
      }
      return r;
    } catch (RuntimeException e) {
      log.accept("internal error on " + request.getMethod() + " " + request.getPath() + ": " + e);
      return ApiStatus.of(500, "InternalError", "Internal error occurred: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    if (server != null) {
      try {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // closing anyway: the Vert.x instance goes next
      }
    }
  }
}
