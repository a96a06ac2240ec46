package io.kdensity.scale.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.kdensity.probes.concurrent.DaemonThreads;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A watch that ends while an event is being written to it, on fabric8's real watch listener. The
 * test thread plays the connection's event loop: the write it must complete (the WebSocket's send)
 * waits until the loop is free, and the close callbacks run on the loop.
 */
class AsyncWatchSendsTest {
  private static final String WATCH = "/api/v1/namespaces/ns/pods?watch=true";
  private final ApiStore store = new ApiStore(List.of());
  private final ExecutorService closer = Executors.newSingleThreadExecutor();
  private final LoopBoundSocket socket = new LoopBoundSocket();

  @AfterEach
  void release() {
    socket.loopFree.countDown();
    closer.shutdownNow();
  }

  /** A WebSocket whose writes complete only when the event loop is free, as Vert.x's do. */
  private static final class LoopBoundSocket implements WebSocket {
    final CountDownLatch sending = new CountDownLatch(1);
    final CountDownLatch loopFree = new CountDownLatch(1);
    final AtomicInteger sends = new AtomicInteger();
    final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public RecordedRequest request() {
      return ApiStore.request(HttpMethod.GET, WATCH, null);
    }

    @Override
    public boolean send(String text) {
      sends.incrementAndGet();
      sending.countDown();
      try {
        return loopFree.await(30, TimeUnit.SECONDS); // VertxMockWebSocket.awaitWrite's bound
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public boolean send(byte[] bytes) {
      return send(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public boolean close(int code, String reason) {
      closed.countDown();
      return true;
    }
  }

  /** A watch of the store, opened on the socket through {@code wrap}. */
  private WebSocketListener openWatch(UnaryOperator<WebSocketListener> wrap) {
    MockResponse watch = store.dispatch(ApiStore.request(HttpMethod.GET, WATCH, null));
    assertThat(watch.getWebSocketListener()).as("a watch upgrades to a WebSocket").isNotNull();
    WebSocketListener listener = wrap.apply(watch.getWebSocketListener());
    listener.onOpen(socket, watch);
    return listener;
  }

  private void createPod(String name) {
    store.dispatch(
        ApiStore.request(
            HttpMethod.POST,
            "/api/v1/namespaces/ns/pods",
            Serialization.asJson(
                new PodBuilder()
                    .withNewMetadata()
                    .withName(name)
                    .withNamespace("ns")
                    .endMetadata()
                    .build())));
  }

  @Test
  @DisplayName(
      "fabric8's watch listener, closed on the loop while an event is being written, holds the loop until the write completes")
  void fabric8sListenerHoldsTheLoop() throws Exception {
    WebSocketListener listener = openWatch(UnaryOperator.identity());
    createPod("p1");
    assertThat(socket.sending.await(5, TimeUnit.SECONDS)).as("the event is being sent").isTrue();

    var closed = closer.submit(() -> listener.onClosed(socket, 1006, "cut"));
    assertThatThrownBy(() -> closed.get(1, TimeUnit.SECONDS))
        .as("the close still waits for the write after 1 s")
        .isInstanceOf(TimeoutException.class);
    socket.loopFree.countDown();
    closed.get(5, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName(
      "with its sends handed to a writer, the close on the loop returns at once, the watch ends, the write and the close follow in order")
  void asyncSendsFreeTheLoop() throws Exception {
    WebSocketListener wrapped =
        openWatch(l -> new AsyncWatchSends(l, DaemonThreads.named("watch-write")));
    createPod("p1");
    assertThat(socket.sending.await(5, TimeUnit.SECONDS)).as("the event is being sent").isTrue();

    assertTimeoutPreemptively(
        Duration.ofSeconds(2), () -> wrapped.onClosed(socket, 1006, "cut"), "close on the loop");
    createPod("p2");
    assertThat(socket.closed.getCount()).as("closed before the write completed").isEqualTo(1);
    socket.loopFree.countDown(); // the loop, free, completes the write
    assertThat(socket.closed.await(5, TimeUnit.SECONDS)).as("then closed").isTrue();
    assertThat(socket.sends.get()).as("events sent to the ended watch").isEqualTo(1);
  }
}
