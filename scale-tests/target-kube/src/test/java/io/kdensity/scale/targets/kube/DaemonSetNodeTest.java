package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kdensity.scale.targets.InfrastructureException;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The probe DaemonSet on a cluster whose admission refuses privileged pods (issue 13, item 9).
 * Models the DaemonSet controller (pkg/controller/daemon), which on a refused create records a
 * Warning event "FailedCreate" with "Error creating: " and the API server's message, here an
 * OpenShift SCC refusal as the restricted-v2 SCC words it.
 */
class DaemonSetNodeTest {
  private static final String SCC_REFUSAL =
      "unable to validate against any security context constraint: [provider \"anyuid\":"
          + " Forbidden: not usable by user or serviceaccount,"
          + " spec.containers[0].securityContext.privileged: Invalid value: true: Privileged"
          + " containers are not allowed, spec.securityContext.hostNetwork: Invalid value: true:"
          + " Host network is not allowed to be used]";

  private final FakeCluster cluster = new FakeCluster(110, true).startKubelet();

  @BeforeEach
  void namespace() {
    cluster
        .client
        .namespaces()
        .resource(
            new NamespaceBuilder()
                .withNewMetadata()
                .withName("kdensity-abc123")
                .withLabels(KubeLabels.ofRun("abc123"))
                .endMetadata()
                .build())
        .create();
  }

  @AfterEach
  void close() {
    cluster.close();
  }

  private DaemonSetNode node(Duration timeout) {
    return new DaemonSetNode(
        cluster.client,
        "kdensity-abc123",
        "abc123",
        FakeCluster.NODE,
        "nicolaka/netshoot:v0.13",
        timeout,
        Clock.SYSTEM,
        new RateLimiter(50, 1, Clock.SYSTEM));
  }

  @Test
  @DisplayName(
      "a probe refused by admission fails within seconds with the controller's reason, not after the ready timeout")
  void refusedByAdmissionFailsFast() {
    cluster.refusePrivileged.set(SCC_REFUSAL);
    long t0 = System.nanoTime();
    assertThatThrownBy(() -> node(Duration.ofMinutes(5)).start())
        .isInstanceOf(InfrastructureException.class)
        .hasMessageStartingWith(
            "the probe DaemonSet kdensity-abc123/kd-abc123-probe cannot create its pod: Error"
                + " creating: pods \"kd-abc123-probe-x2v9q\" is forbidden: unable to validate"
                + " against any security context constraint")
        .hasMessageContaining(
            "runs as service account kdensity-probe, which on OpenShift the run binds to the"
                + " privileged SCC: that needs `use` of securitycontextconstraints/privileged");
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(30));
  }
}
