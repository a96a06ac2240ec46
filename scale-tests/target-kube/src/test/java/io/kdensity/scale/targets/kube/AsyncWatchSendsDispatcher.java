package io.kdensity.scale.targets.kube;

import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.scale.sim.AsyncWatchSends;
import java.util.concurrent.ThreadFactory;

/**
 * The fake cluster's dispatcher, whose watch streams write as the simulated cluster's API server's
 * do ({@link AsyncWatchSends}): without it, a watch cut while an event was being sent to it held
 * the mock server's event loop for 30 s and timed out unrelated requests.
 */
final class AsyncWatchSendsDispatcher extends Dispatcher {
  private final Dispatcher delegate;
  private final ThreadFactory writers = DaemonThreads.named("mock-watch-write");

  AsyncWatchSendsDispatcher(Dispatcher delegate) {
    this.delegate = delegate;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    MockResponse response = delegate.dispatch(request);
    if (response != null && response.getWebSocketListener() != null) {
      response.withWebSocketUpgrade(new AsyncWatchSends(response.getWebSocketListener(), writers));
    }
    return response;
  }

  @Override
  public void shutdown() {
    delegate.shutdown();
  }

  @Override
  public void releaseResources() {
    delegate.releaseResources();
  }
}
