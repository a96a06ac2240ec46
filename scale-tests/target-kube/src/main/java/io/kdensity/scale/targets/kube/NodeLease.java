package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.scale.targets.InfrastructureException;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One cluster run per node: a {@code coordination.k8s.io/v1} Lease {@code node-<node>} in namespace
 * {@value #NAMESPACE}, held by the run from set-up to the end of its teardown and renewed every
 * {@link RunLease#RENEW}, as leader election does. A second run on the node finds it fresh and
 * stops before creating anything, naming the first: two runs would interleave their profiles' apply
 * and revert (the second journal would record the first's values as the ones to restore) and fill
 * and measure each other's node-wide tables. A crashed run's lease goes stale after {@link
 * RunLease#DURATION} and the next run takes it over; taking it is a create or an update with the
 * resourceVersion read, so two runs starting together cannot both win.
 */
final class NodeLease implements AutoCloseable {
  static final String NAMESPACE = "kdensity-system";

  private final KubernetesClient client;
  private final String name;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final String holder;

  private NodeLease(
      KubernetesClient client,
      String name,
      String holder,
      Clock clock,
      ScheduledExecutorService timer) {
    this.client = client;
    this.name = name;
    this.holder = holder;
    this.clock = clock;
    this.timer = timer;
  }

  static String name(String node) {
    return "node-" + node;
  }

  /** Who holds the node now, if a live run does ("run abc123 by host, pid 42, 5 s ago"). */
  static Optional<String> heldBy(KubernetesClient client, String node, Instant now) {
    Lease l;
    try {
      l = client.leases().inNamespace(NAMESPACE).withName(name(node)).get();
    } catch (KubernetesClientException e) {
      return Optional.empty(); // no namespace yet: nobody holds it
    }
    return fresh(l, now)
        ? Optional.of(
            l.getSpec().getHolderIdentity()
                + ", its lease renewed "
                + Math.max(
                    0, Duration.between(l.getSpec().getRenewTime().toInstant(), now).toSeconds())
                + " s ago")
        : Optional.empty();
  }

  private static boolean fresh(Lease l, Instant now) {
    if (l == null || l.getSpec() == null || l.getSpec().getRenewTime() == null) {
      return false;
    }
    int seconds =
        l.getSpec().getLeaseDurationSeconds() == null
            ? (int) RunLease.DURATION.toSeconds()
            : l.getSpec().getLeaseDurationSeconds();
    return l.getSpec().getRenewTime().toInstant().plusSeconds(seconds).isAfter(now);
  }

  /**
   * Takes the node for {@code holder} and renews it until {@link #close()}.
   *
   * @throws InfrastructureException if a live run holds it
   */
  static NodeLease take(KubernetesClient client, String node, String holder, Clock clock) {
    if (client.namespaces().withName(NAMESPACE).get() == null) {
      try {
        client
            .namespaces()
            .resource(
                new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build())
            .create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
      }
    }
    String name = name(node);
    ZonedDateTime now = now(clock);
    Lease current = client.leases().inNamespace(NAMESPACE).withName(name).get();
    Lease mine =
        new LeaseBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(NAMESPACE)
            .withResourceVersion(
                current == null ? null : current.getMetadata().getResourceVersion())
            .endMetadata()
            .withNewSpec()
            .withHolderIdentity(holder)
            .withLeaseDurationSeconds((int) RunLease.DURATION.toSeconds())
            .withAcquireTime(now)
            .withRenewTime(now)
            .endSpec()
            .build();
    try {
      if (current == null) {
        client.leases().inNamespace(NAMESPACE).resource(mine).create();
      } else if (fresh(current, now.toInstant())) {
        throw new InfrastructureException(
            "node " + node + " is in use by " + current.getSpec().getHolderIdentity());
      } else {
        client.leases().inNamespace(NAMESPACE).resource(mine).update(); // a stale lease: take it
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        throw new InfrastructureException(
            "node " + node + " was taken by another run starting at the same moment", e);
      }
      throw e;
    }
    ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kd-kube-node-lease"));
    NodeLease lease = new NodeLease(client, name, holder, clock, timer);
    timer.scheduleWithFixedDelay(
        lease::renew, RunLease.RENEW.toMillis(), RunLease.RENEW.toMillis(), TimeUnit.MILLISECONDS);
    return lease;
  }

  void renew() {
    try {
      client
          .leases()
          .inNamespace(NAMESPACE)
          .withName(name)
          .edit(l -> new LeaseBuilder(l).editSpec().withRenewTime(now(clock)).endSpec().build());
    } catch (KubernetesClientException e) {
      // the next tick tries again; the lease outlives three misses
    }
  }

  private static ZonedDateTime now(Clock clock) {
    return Instant.ofEpochMilli(clock.wallTime()).atZone(ZoneOffset.UTC);
  }

  /** Stops renewing and gives the node back (deletes the lease if it is still this run's). */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      Lease l = client.leases().inNamespace(NAMESPACE).withName(name).get();
      if (l != null && l.getSpec() != null && holder.equals(l.getSpec().getHolderIdentity())) {
        client.leases().inNamespace(NAMESPACE).withName(name).delete();
      }
    } catch (KubernetesClientException e) {
      // it goes stale in a minute
    }
  }
}
