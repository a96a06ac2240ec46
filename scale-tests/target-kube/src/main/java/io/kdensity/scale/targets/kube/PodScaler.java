package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.targets.AttachFailures;
import io.kdensity.scale.targets.Futures;
import io.kdensity.scale.targets.InfrastructureException;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.ConcurrentHistogram;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Creates and deletes the run's pods through the API server at the plan's QPS and concurrency, and
 * waits until each is settled: Ready, failed for good (the kubelet refused it, the scheduler cannot
 * place it), or its sandbox kept failing past the retry grace.
 */
final class PodScaler {
  /**
   * How long a pod whose sandbox failed gets to succeed on a kubelet retry before it counts as
   * failed: the kubelet retries sandbox creation with a backoff starting near 10 s.
   */
  static final Duration SANDBOX_RETRY_GRACE = Duration.ofSeconds(30);

  private final KubernetesClient client;
  private final String namespace;
  private final TargetSpec.Kube spec;
  private final PodSpecs specs;
  private final PodTracker tracker;
  private final RateLimiter limiter;
  private final Clock clock;
  private final ExecutorService pool;
  private final List<String> pods = new ArrayList<>();
  private volatile long firstCreated;
  private volatile long lastCreated;

  PodScaler(
      KubernetesClient client,
      String namespace,
      TargetSpec.Kube spec,
      PodSpecs specs,
      PodTracker tracker,
      Clock clock) {
    this.client = client;
    this.namespace = namespace;
    this.spec = spec;
    this.specs = specs;
    this.tracker = tracker;
    this.clock = clock;
    this.limiter = new RateLimiter(spec.qps(), spec.burst(), clock);
    this.pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(spec.concurrency(), 256)), DaemonThreads.named("kd-kube"));
  }

  /** Pod names in creation order. */
  synchronized List<String> names() {
    return List.copyOf(pods);
  }

  /**
   * Creates pods up to {@code target}, waits until each is settled and records its latencies
   * (ready: created → Ready; attach: scheduled → network-status) and failures.
   */
  void grow(
      int target,
      ConcurrentHistogram attach,
      ConcurrentHistogram ready,
      AttachFailures.Log failures) {
    List<Integer> indexes = new ArrayList<>();
    for (int i = pods.size() + 1; i <= target; i++) {
      indexes.add(i);
    }
    Map<String, String> throttled = new java.util.concurrent.ConcurrentHashMap<>();
    List<String> created = createAll(indexes, throttled);
    synchronized (this) {
      pods.addAll(created);
    }
    throttledFailures(throttled, failures);
    settle(created, attach, ready, failures);
  }

  /**
   * Pods the API server kept refusing with 429 (API Priority and Fairness, after the client's
   * retries): a failure of the step whose cause is the control plane, not an error of the run.
   */
  private static void throttledFailures(
      Map<String, String> throttled, AttachFailures.Log failures) {
    throttled.forEach((name, why) -> failures.add("api-server", "kube-apiserver", name, "-", why));
  }

  /**
   * Deletes the pods named (waiting until they are gone) and creates them again under the same
   * names, as new objects with new UIDs; waits and records like {@link #grow}.
   */
  void replace(
      List<String> names,
      ConcurrentHistogram attach,
      ConcurrentHistogram ready,
      AttachFailures.Log failures) {
    List<Integer> indexes = new ArrayList<>();
    synchronized (this) {
      for (String n : names) {
        int i = pods.indexOf(n);
        if (i < 0) {
          throw new IllegalArgumentException("not a pod of this run: " + n);
        }
        indexes.add(i + 1);
      }
    }
    deleteAll(names);
    Map<String, String> throttled = new java.util.concurrent.ConcurrentHashMap<>();
    List<String> created = createAll(indexes, throttled);
    throttledFailures(throttled, failures);
    settle(created, attach, ready, failures);
  }

  /**
   * Creates the pods of these indexes; returns the names created (in index order), and puts those
   * the API server throttled into {@code throttled} with its message.
   */
  private List<String> createAll(List<Integer> indexes, Map<String, String> throttled) {
    firstCreated = 0;
    lastCreated = 0;
    List<Future<?>> fs = new ArrayList<>();
    for (int index : indexes) {
      fs.add(pool.submit(() -> create(index, throttled)));
    }
    fs.forEach(Futures::join);
    return indexes.stream().map(specs::name).filter(n -> !throttled.containsKey(n)).toList();
  }

  /** Waits until the pods are settled, then records their latencies or failures. */
  private void settle(
      List<String> created,
      ConcurrentHistogram attach,
      ConcurrentHistogram ready,
      AttachFailures.Log failures) {
    awaitSettled(created);
    for (String name : created) {
      PodTracker.Times t = tracker.uidOf(name).map(tracker::times).orElse(new PodTracker.Times());
      if (t.ready > 0) {
        ready.recordValue(Math.max(1, (t.ready - t.created) / 1000));
        if (t.networked > 0 && t.scheduled > 0) {
          attach.recordValue(Math.max(1, (t.networked - t.scheduled) / 1000));
        }
        continue;
      }
      PodTracker.Failure f =
          t.statusFailure != null
              ? t.statusFailure
              : t.sandboxFailures.isEmpty() ? null : t.sandboxFailures.get(0);
      String message = f == null ? notReady() : f.reason() + ": " + f.message();
      failures.add(multusNetwork(message).orElse("node"), "multus", name, "-", message);
    }
  }

  private static final Pattern MULTUS_NETWORK =
      Pattern.compile("error adding container to network \"([^\"]+)\"");

  /** The network a Multus sandbox error names ({@code error adding … to network "sat-a"}). */
  static Optional<String> multusNetwork(String message) {
    Matcher m = MULTUS_NETWORK.matcher(message);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The message of a pod that neither became Ready nor reported a failure. */
  private String notReady() {
    return "not ready in time: NotReady after " + spec.readyTimeoutSeconds() + " s";
  }

  /** Creates a pod; a 409 (a retried create that had succeeded) counts as created. */
  private void create(int index, Map<String, String> throttled) {
    limit();
    long sent = clock.monotonicTime();
    Pod created;
    try {
      created = client.pods().inNamespace(namespace).resource(specs.pod(index)).create();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 429) {
        throttled.put(
            specs.name(index),
            "the API server throttled the create (429 Too Many Requests): "
                + (e.getStatus() == null ? e.getMessage() : e.getStatus().getMessage()));
        return;
      }
      if (e.getCode() != 409) {
        throw new InfrastructureException(
            "cannot create pod " + specs.name(index) + ": " + e.getMessage(), e);
      }
      created = client.pods().inNamespace(namespace).withName(specs.name(index)).get();
    }
    long done = clock.monotonicTime();
    synchronized (this) {
      // the create rate is measured where the API server answered, not where the limiter let go
      if (firstCreated == 0 || done < firstCreated) {
        firstCreated = done;
      }
      lastCreated = Math.max(lastCreated, done);
    }
    if (created != null) {
      tracker.created(created.getMetadata().getUid(), specs.name(index), sent);
    }
  }

  /** Seconds between the first and the last completed create of the last scale-up. */
  double createWindowSeconds() {
    return (lastCreated - firstCreated) / 1e9;
  }

  private void awaitSettled(List<String> created) {
    try {
      Awaitility.await("pods to become Ready or fail")
          .atMost(Duration.ofSeconds(spec.readyTimeoutSeconds()))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> created.stream().allMatch(this::settled));
    } catch (ConditionTimeoutException e) {
      // pods that neither run nor fail are a finding: the node did not hold them
    }
  }

  private boolean settled(String name) {
    PodTracker.Times t = tracker.uidOf(name).map(tracker::times).orElse(null);
    if (t == null) {
      return false;
    }
    if (t.ready > 0 || t.statusFailure != null) {
      return true;
    }
    return !t.sandboxFailures.isEmpty()
        && clock.monotonicTime() - t.sandboxFailures.get(0).at() >= SANDBOX_RETRY_GRACE.toNanos();
  }

  /**
   * Deletes pods down to {@code target} and waits until the API server has removed them. The
   * deletion is graceful (not forced), so a pod object is gone only after the kubelet stopped its
   * sandbox and the CNI plugins released its addresses: a pod re-created with the same fixed
   * addresses never races its predecessor.
   */
  void shrink(int target) {
    List<String> gone;
    synchronized (this) {
      gone = new ArrayList<>(pods.subList(target, pods.size()));
      pods.subList(target, pods.size()).clear();
    }
    deleteAll(gone);
  }

  /**
   * Deletes the pods named, gracefully, and waits until the API server has removed them: a pod
   * stays Terminating until its kubelet has stopped its sandbox (CNI DEL, addresses released). The
   * informer tells when each is gone, so the wait costs no request. Bounded by the plan's ready
   * timeout; pods still Terminating then are an infrastructure error naming them.
   */
  private void deleteAll(List<String> gone) {
    List<String> uids = new ArrayList<>();
    for (String p : gone) {
      tracker.uidOf(p).ifPresent(uids::add);
    }
    List<Future<?>> fs = new ArrayList<>();
    for (String p : gone) {
      fs.add(
          pool.submit(
              () -> {
                limit();
                client.pods().inNamespace(namespace).withName(p).withGracePeriod(1).delete();
              }));
    }
    fs.forEach(Futures::join);
    Set<String> left;
    try {
      left = tracker.awaitDeleted(uids, Duration.ofSeconds(spec.readyTimeoutSeconds()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted while pods were being deleted", e);
    }
    if (!left.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (String p : gone) {
        if (tracker.uidOf(p).filter(left::contains).isPresent()) {
          names.add(p);
        }
      }
      throw new InfrastructureException(
          names.size()
              + " deleted pods still Terminating after "
              + spec.readyTimeoutSeconds()
              + " s (their kubelet has not finished stopping them: CNI DEL, sandbox): "
              + String.join(", ", names.subList(0, Math.min(5, names.size())))
              + (names.size() > 5 ? ", …" : ""));
    }
  }

  private void limit() {
    try {
      limiter.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InfrastructureException("interrupted", e);
    }
  }

  void stop() {
    pool.shutdownNow();
  }
}
