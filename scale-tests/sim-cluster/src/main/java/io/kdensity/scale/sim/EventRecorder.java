package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A component's event recorder as client-go's {@code tools/record} makes it: events are queued (at
 * most {@link #QUEUE} — the broadcaster drops what does not fit), each object's events pass a spam
 * filter (a bucket of {@link #SPAM_BURST} per source and object, refilled one per {@link
 * #SPAM_REFILL}: the 26th event about one pod within minutes is dropped), and the queue is sent at
 * the component's rate (the kubelet's {@code eventRecordQPS} 50, {@code eventBurst} 100). Events
 * can be lost, as on a real node; {@link #dropped()} counts them.
 */
final class EventRecorder implements AutoCloseable {
  static final int QUEUE = 1000;
  static final int SPAM_BURST = 25;
  static final Duration SPAM_REFILL = Duration.ofMinutes(5);

  private final KubernetesClient client;
  private final String component;
  private final String host;
  private final Clock clock;
  private final TokenBucket rate;
  private final Map<String, TokenBucket> spam = new ConcurrentHashMap<>();
  private final ExecutorService sender;
  private final AtomicLong dropped = new AtomicLong();

  EventRecorder(
      KubernetesClient client, String component, String host, double qps, int burst, Clock clock) {
    this.client = client;
    this.component = component;
    this.host = host;
    this.clock = clock;
    this.rate = new TokenBucket(qps, burst, clock);
    this.sender =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE),
            DaemonThreads.named("kd-sim-events-" + component),
            (r, e) -> dropped.incrementAndGet());
  }

  /** Records an event about {@code object} (Normal or Warning), unless a limit drops it. */
  void record(HasMetadata object, String type, String reason, String message) {
    TokenBucket perObject =
        spam.computeIfAbsent(
            object.getMetadata().getUid(),
            k -> new TokenBucket(1.0 / SPAM_REFILL.toSeconds(), SPAM_BURST, clock));
    if (!perObject.tryTake()) {
      dropped.incrementAndGet();
      return;
    }
    long now = clock.wallTime();
    sender.execute(
        () -> {
          rate.take();
          send(object, type, reason, message, now);
        });
  }

  private void send(HasMetadata object, String type, String reason, String message, long at) {
    String ts = GracefulDeletion.timestamp(at);
    String ns =
        object.getMetadata().getNamespace() == null
            ? "default"
            : object.getMetadata().getNamespace();
    try {
      client
          .v1()
          .events()
          .inNamespace(ns)
          .resource(
              new EventBuilder()
                  .withNewMetadata()
                  // client-go names an event after its object and the time: "%v.%x"
                  .withName(
                      object.getMetadata().getName() + "." + Long.toHexString(System.nanoTime()))
                  .withNamespace(ns)
                  .endMetadata()
                  .withInvolvedObject(
                      new ObjectReferenceBuilder()
                          .withApiVersion(object.getApiVersion())
                          .withKind(object.getKind())
                          .withName(object.getMetadata().getName())
                          .withNamespace(object.getMetadata().getNamespace())
                          .withUid(object.getMetadata().getUid())
                          .build())
                  .withType(type)
                  .withReason(reason)
                  .withMessage(message)
                  .withCount(1)
                  .withFirstTimestamp(ts)
                  .withLastTimestamp(ts)
                  .withNewSource()
                  .withComponent(component)
                  .withHost(host)
                  .endSource()
                  .withReportingComponent(component)
                  .withReportingInstance(host)
                  .build())
          .create();
    } catch (KubernetesClientException e) {
      dropped.incrementAndGet(); // client-go retries a few times, then gives up likewise
    }
  }

  /** Events lost to the queue, the spam filter or the API. */
  long dropped() {
    return dropped.get();
  }

  @Override
  public void close() {
    sender.shutdownNow();
  }

  /** A token bucket on the monotonic clock. */
  static final class TokenBucket {
    private final double perSecond;
    private final int burst;
    private final Clock clock;
    private double tokens;
    private long last;

    TokenBucket(double perSecond, int burst, Clock clock) {
      this.perSecond = perSecond;
      this.burst = burst;
      this.clock = clock;
      this.tokens = burst;
      this.last = clock.monotonicTime();
    }

    synchronized boolean tryTake() {
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return true;
      }
      return false;
    }

    /** Waits for a token. */
    void take() {
      while (!tryTake()) {
        try {
          Thread.sleep(Math.max(1, (long) (1000 / perSecond / 2)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    private void refill() {
      long now = clock.monotonicTime();
      tokens = Math.min(burst, tokens + (now - last) / 1e9 * perSecond);
      last = now;
    }
  }
}
