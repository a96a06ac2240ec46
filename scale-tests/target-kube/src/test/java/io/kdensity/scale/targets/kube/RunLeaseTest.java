package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunLeaseTest {
  private final FakeCluster cluster = new FakeCluster(110, true);
  private final MockClock clock = new MockClock();

  @AfterEach
  void close() {
    cluster.close();
  }

  private Namespace namespace(String created) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName("kdensity-aaaaaa")
        .withCreationTimestamp(created)
        .endMetadata()
        .build();
  }

  @Test
  @DisplayName(
      "a lease stays fresh while renewed; a run that stops renewing is gone a minute later")
  void freshWhileRenewed() {
    cluster.client.namespaces().resource(namespace(null)).create();
    Instant t0 = Instant.ofEpochMilli(clock.wallTime());
    try (RunLease lease =
        RunLease.hold(cluster.client, "kdensity-aaaaaa", "run aaaaaa by test", clock)) {
      Namespace ns = cluster.client.namespaces().withName("kdensity-aaaaaa").get();
      clock.add(Duration.ofSeconds(59));
      assertThat(RunLease.aliveBecause(ns, read(), t0.plusSeconds(59)))
          .hasValue("its lease was renewed 59 s ago by run aaaaaa by test");
      assertThat(RunLease.aliveBecause(ns, read(), t0.plusSeconds(61))).isEmpty();
      lease.renew();
      assertThat(RunLease.aliveBecause(ns, read(), t0.plusSeconds(61)))
          .hasValue("its lease was renewed 2 s ago by run aaaaaa by test");
    }
  }

  private Lease read() {
    return cluster.client.leases().inNamespace("kdensity-aaaaaa").withName(RunLease.NAME).get();
  }

  @ParameterizedTest(name = "no lease, namespace created {0} s before → alive: {1}")
  @DisplayName(
      "a namespace without a lease is a run that is starting for a minute, then a leftover")
  @CsvSource({"5, true", "59, true", "60, false", "3600, false"})
  void withoutALease(int age, boolean alive) {
    Instant now = Instant.parse("2026-11-26T07:00:00Z");
    assertThat(
            RunLease.aliveBecause(namespace(now.minusSeconds(age).toString()), null, now)
                .isPresent())
        .isEqualTo(alive);
  }
}
