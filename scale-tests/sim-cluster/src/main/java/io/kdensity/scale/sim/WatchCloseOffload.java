package io.kdensity.scale.sim;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.concurrent.Executor;

/**
 * A watch stream of the CRUD store whose closing runs off the server's event loop: fabric8's watch
 * listener waits for its sender to finish when the client goes ({@code
 * WatchEventsListener.onClosed} awaits its executor's termination), which on an event loop stalls
 * every other connection on that loop for seconds (every {@code waitUntilCondition} closes a
 * watch).
 */
final class WatchCloseOffload extends WebSocketListener {
  private final WebSocketListener delegate;
  private final Executor closer;

  WatchCloseOffload(WebSocketListener delegate, Executor closer) {
    this.delegate = delegate;
    this.closer = closer;
  }

  @Override
  public void onBeforeAccept(WebSocket ws, Response response) {
    delegate.onBeforeAccept(ws, response);
  }

  @Override
  public void onOpen(WebSocket ws, Response response) {
    delegate.onOpen(ws, response);
  }

  @Override
  public void onMessage(WebSocket ws, String text) {
    delegate.onMessage(ws, text);
  }

  @Override
  public void onMessage(WebSocket ws, ByteString bytes) {
    delegate.onMessage(ws, bytes);
  }

  @Override
  public void onMessage(WebSocket ws, byte[] bytes) {
    delegate.onMessage(ws, bytes);
  }

  @Override
  public void onPing(WebSocket ws, byte[] bytes) {
    delegate.onPing(ws, bytes);
  }

  @Override
  public void onClosing(WebSocket ws, int code, String reason) {
    closer.execute(() -> delegate.onClosing(ws, code, reason));
  }

  @Override
  public void onClosed(WebSocket ws, int code, String reason) {
    closer.execute(() -> delegate.onClosed(ws, code, reason));
  }

  @Override
  public void onFailure(WebSocket ws, Throwable t, Response response) {
    closer.execute(() -> delegate.onFailure(ws, t, response));
  }
}
