package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Clock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The heartbeat of a live run on a cluster: a {@code coordination.k8s.io/v1} Lease in the run's
 * namespace, renewed every {@link #RENEW} while the run lives, as leader election does. {@code
 * cleanup --kube} leaves a namespace alone while its lease is fresh (renewed within {@link
 * #DURATION}), so it never removes another operator's live run; a crashed run stops renewing and
 * its namespace becomes removable a minute later.
 *
 * <p>Freshness compares the lease's renewTime with the cleanup's clock: machines whose clocks
 * disagree by more than {@link #DURATION} minus {@link #RENEW} could misjudge; NTP keeps them far
 * closer.
 */
final class RunLease implements AutoCloseable {
  static final String NAME = "kdensity-run";
  static final Duration DURATION = Duration.ofSeconds(60);
  static final Duration RENEW = Duration.ofSeconds(15);

  private final KubernetesClient client;
  private final String namespace;
  private final Clock clock;
  private final ScheduledExecutorService timer;

  private RunLease(
      KubernetesClient client, String namespace, Clock clock, ScheduledExecutorService timer) {
    this.client = client;
    this.namespace = namespace;
    this.clock = clock;
    this.timer = timer;
  }

  /**
   * Creates the lease in {@code namespace} and renews it until {@link #close()}.
   *
   * @param holder who holds it (host, pid, run), shown by a cleanup that leaves the run alone
   */
  static RunLease hold(KubernetesClient client, String namespace, String holder, Clock clock) {
    ZonedDateTime now = now(clock);
    client
        .leases()
        .inNamespace(namespace)
        .resource(
            new LeaseBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(namespace)
                .endMetadata()
                .withNewSpec()
                .withHolderIdentity(holder)
                .withLeaseDurationSeconds((int) DURATION.toSeconds())
                .withAcquireTime(now)
                .withRenewTime(now)
                .endSpec()
                .build())
        .create();
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kd-kube-lease"));
    RunLease lease = new RunLease(client, namespace, clock, timer);
    timer.scheduleWithFixedDelay(
        lease::renew, RENEW.toMillis(), RENEW.toMillis(), TimeUnit.MILLISECONDS);
    return lease;
  }

  /** "restore on node worker-1 by ops-laptop, pid 4711": who a cleanup would leave alone. */
  static String holder(String what) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown host";
    }
    return what + " by " + host + ", pid " + ProcessHandle.current().pid();
  }

  /** One renewal; a failed one is retried at the next tick (the lease outlives three misses). */
  void renew() {
    try {
      renew(client, namespace, clock);
    } catch (KubernetesClientException e) {
      // transient (throttling, a restarting API server): the next tick tries again
    }
  }

  /** Sets the lease's renewTime to now. */
  static void renew(KubernetesClient client, String namespace, Clock clock) {
    client
        .leases()
        .inNamespace(namespace)
        .withName(NAME)
        .edit(l -> new LeaseBuilder(l).editSpec().withRenewTime(now(clock)).endSpec().build());
  }

  private static ZonedDateTime now(Clock clock) {
    return Instant.ofEpochMilli(clock.wallTime()).atZone(ZoneOffset.UTC);
  }

  /**
   * Why the run of {@code namespace} is alive at {@code now}, if it is: its lease was renewed
   * within its duration, or the namespace is younger than {@link #DURATION} and has no lease yet (a
   * run that is starting). A namespace being deleted is never alive.
   */
  static Optional<String> aliveBecause(Namespace namespace, Lease lease, Instant now) {
    if (namespace.getMetadata().getDeletionTimestamp() != null) {
      return Optional.empty();
    }
    if (lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null) {
      String created = namespace.getMetadata().getCreationTimestamp();
      if (created != null && Instant.parse(created).plus(DURATION).isAfter(now)) {
        return Optional.of(
            "it was created " + age(Instant.parse(created), now) + " ago (starting)");
      }
      return Optional.empty();
    }
    Instant renewed = lease.getSpec().getRenewTime().toInstant();
    int seconds =
        lease.getSpec().getLeaseDurationSeconds() == null
            ? (int) DURATION.toSeconds()
            : lease.getSpec().getLeaseDurationSeconds();
    if (renewed.plusSeconds(seconds).isAfter(now)) {
      return Optional.of(
          "its lease was renewed "
              + age(renewed, now)
              + " ago by "
              + lease.getSpec().getHolderIdentity());
    }
    return Optional.empty();
  }

  private static String age(Instant then, Instant now) {
    return Math.max(0, Duration.between(then, now).toSeconds()) + " s";
  }

  /** Stops renewing; the lease goes with the run's namespace. */
  @Override
  public void close() {
    timer.shutdownNow();
  }
}
