package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kdensity.scale.targets.InfrastructureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Real fabric8 informers against the fake API server: a stopped one fails the run, by name. */
class InformerHealthTest {
  private final FakeCluster cluster = new FakeCluster(110, true);

  @AfterEach
  void close() {
    cluster.close();
  }

  private SharedIndexInformer<Pod> informer() {
    return cluster
        .client
        .pods()
        .inNamespace("kdensity-abc123")
        .inform(
            new ResourceEventHandler<>() {
              public void onAdd(Pod p) {}

              public void onUpdate(Pod o, Pod n) {}

              public void onDelete(Pod p, boolean unknown) {}
            },
            0);
  }

  @Test
  @DisplayName("running informers pass; one that stopped is an infrastructure error naming it")
  void aStoppedInformerIsNamed() {
    SharedIndexInformer<Pod> pods = informer();
    SharedIndexInformer<Pod> events = informer();
    InformerHealth health = new InformerHealth();
    health.add("pods of kdensity-abc123", pods);
    health.add("events of kdensity-abc123", events);
    assertThatCode(health::require).doesNotThrowAnyException();
    events.stop(); // what the Reflector does after an error its handler does not retry
    assertThatThrownBy(health::require)
        .isInstanceOf(InfrastructureException.class)
        .hasMessageStartingWith("the informer of events of kdensity-abc123 stopped")
        .hasMessageContaining("cannot follow its pods any more");
    pods.stop();
  }
}
