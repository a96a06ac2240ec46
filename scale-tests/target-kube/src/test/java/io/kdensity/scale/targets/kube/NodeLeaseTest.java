package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kdensity.scale.targets.InfrastructureException;
import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** One run per node: the node's Lease, as leader election holds one (client-go leaderelection). */
class NodeLeaseTest {
  private final FakeCluster cluster = new FakeCluster(110, true);
  private final MockClock clock = new MockClock();

  @AfterEach
  void close() {
    cluster.close();
  }

  private Instant now() {
    return Instant.ofEpochMilli(clock.wallTime());
  }

  private Lease read() {
    return cluster
        .client
        .leases()
        .inNamespace(NodeLease.NAMESPACE)
        .withName(NodeLease.name("worker-1"))
        .get();
  }

  @Test
  @DisplayName(
      "the first run takes the node (creating kdensity-system if missing); a second is refused while the lease is renewed, naming the first")
  void secondRunRefusedWhileTheFirstLives() {
    assertThat(NodeLease.heldBy(cluster.client, "worker-1", now())).isEmpty();
    try (NodeLease first = NodeLease.take(cluster.client, "worker-1", "run aaaaaa by a", clock)) {
      assertThat(cluster.client.namespaces().withName(NodeLease.NAMESPACE).get()).isNotNull();
      clock.add(Duration.ofSeconds(50));
      first.renew();
      clock.add(Duration.ofSeconds(50)); // 100 s after it was taken, 50 s after the renewal
      assertThat(NodeLease.heldBy(cluster.client, "worker-1", now()))
          .hasValue("run aaaaaa by a, its lease renewed 50 s ago");
      assertThatThrownBy(() -> NodeLease.take(cluster.client, "worker-1", "run bbbbbb by b", clock))
          .isInstanceOf(InfrastructureException.class)
          .hasMessage("node worker-1 is in use by run aaaaaa by a");
      // another node is free
      assertThat(NodeLease.heldBy(cluster.client, "worker-2", now())).isEmpty();
    }
    // given back at the end of the teardown
    assertThat(read()).isNull();
    assertThat(NodeLease.heldBy(cluster.client, "worker-1", now())).isEmpty();
  }

  @Test
  @DisplayName(
      "a crashed run's lease goes stale after 60 s and the next run takes it over; the crashed run's late close does not remove the new holder's lease")
  void staleLeaseTakenOver() {
    NodeLease crashed = NodeLease.take(cluster.client, "worker-1", "run aaaaaa by a", clock);
    clock.add(Duration.ofSeconds(59));
    assertThat(NodeLease.heldBy(cluster.client, "worker-1", now())).isPresent();
    clock.add(Duration.ofSeconds(2));
    assertThat(NodeLease.heldBy(cluster.client, "worker-1", now())).isEmpty();
    try (NodeLease next = NodeLease.take(cluster.client, "worker-1", "run bbbbbb by b", clock)) {
      assertThat(read().getSpec().getHolderIdentity()).isEqualTo("run bbbbbb by b");
      crashed.close();
      assertThat(read().getSpec().getHolderIdentity()).isEqualTo("run bbbbbb by b");
    }
    assertThat(read()).isNull();
  }
}
