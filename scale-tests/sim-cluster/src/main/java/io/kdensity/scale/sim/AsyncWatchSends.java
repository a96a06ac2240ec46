package io.kdensity.scale.sim;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A watch stream of fabric8's CRUD store whose writes do not hold its sender, so that ending the
 * watch cannot stall the server, as a real API server ends a watch without stalling its other
 * requests.
 *
 * <p>fabric8's watch listener (8.0.0) sends each event from a sender thread of its own and, when
 * the stream ends, waits on the connection's event loop for that sender to finish ({@code
 * WatchEventsListener.onClosed} awaits its executor's termination, up to a minute). The mock's
 * WebSocket blocks each send until the event loop has written it, up to 30 s. A watch that ended
 * while an event was being sent to it so held the loop, and every request of the server with it,
 * for 30 s (a GET failed after the client's 10 s timeout, CI 2026-12-04). Here the listener's sends
 * are handed, in order, to a writer thread of this stream: its sender never waits for the loop, so
 * the close on the loop finishes at once and the loop completes the writes.
 *
 * <p>The close itself stays on the loop: the listener leaves the store's watchers there, between
 * two requests. Run elsewhere, a request could find it still registered with its sender already
 * shut down, and the store's write would fail half way through its watchers.
 */
public final class AsyncWatchSends extends WebSocketListener {
  private final WebSocketListener delegate;
  private final ThreadFactory writers;
  private Queued socket;

  /**
   * @param writers makes this stream's writer thread, which ends a second after its last write
   */
  public AsyncWatchSends(WebSocketListener delegate, ThreadFactory writers) {
    this.delegate = delegate;
    this.writers = writers;
  }

  private synchronized Queued queued(WebSocket ws) {
    if (socket == null || socket.ws != ws) {
      socket = new Queued(ws, writers);
    }
    return socket;
  }

  @Override
  public void onBeforeAccept(WebSocket ws, Response response) {
    delegate.onBeforeAccept(queued(ws), response);
  }

  @Override
  public void onOpen(WebSocket ws, Response response) {
    delegate.onOpen(queued(ws), response);
  }

  @Override
  public void onMessage(WebSocket ws, String text) {
    delegate.onMessage(queued(ws), text);
  }

  @Override
  public void onMessage(WebSocket ws, ByteString bytes) {
    delegate.onMessage(queued(ws), bytes);
  }

  @Override
  public void onMessage(WebSocket ws, byte[] bytes) {
    delegate.onMessage(queued(ws), bytes);
  }

  @Override
  public void onPing(WebSocket ws, byte[] bytes) {
    delegate.onPing(queued(ws), bytes);
  }

  @Override
  public void onClosing(WebSocket ws, int code, String reason) {
    delegate.onClosing(queued(ws), code, reason);
  }

  @Override
  public void onClosed(WebSocket ws, int code, String reason) {
    delegate.onClosed(queued(ws), code, reason);
  }

  @Override
  public void onFailure(WebSocket ws, Throwable t, Response response) {
    delegate.onFailure(queued(ws), t, response);
  }

  /** The connection's WebSocket, its sends and close done in order on a writer thread. */
  private static final class Queued implements WebSocket {
    private final WebSocket ws;
    private final ThreadPoolExecutor writer;

    Queued(WebSocket ws, ThreadFactory threads) {
      this.ws = ws;
      this.writer =
          new ThreadPoolExecutor(1, 1, 1, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), threads);
      this.writer.allowCoreThreadTimeOut(true);
    }

    @Override
    public RecordedRequest request() {
      return ws.request();
    }

    @Override
    public boolean send(String text) {
      writer.execute(() -> ws.send(text));
      return true;
    }

    @Override
    public boolean send(byte[] bytes) {
      writer.execute(() -> ws.send(bytes));
      return true;
    }

    @Override
    public boolean close(int code, String reason) {
      writer.execute(() -> ws.close(code, reason));
      return true;
    }
  }
}
