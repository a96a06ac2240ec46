package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.micrometer.core.instrument.MockClock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Pod identity as the API server gives it: a pod deleted gracefully stays, Terminating (with a
 * deletionTimestamp), until its kubelet has stopped it, and a pod of the same name created
 * meanwhile is another object with another UID; the informer may deliver the old one's updates
 * after the new one was created.
 */
class PodTrackerTest {
  private final MockClock clock = new MockClock();
  private final PodTracker tracker = new PodTracker(clock);
  private final ResourceEventHandler<Pod> informer = tracker.podHandler();

  private static Pod pod(String uid, boolean ready, boolean terminating) {
    return new PodBuilder()
        .withNewMetadata()
        .withName("kd-pod-0")
        .withUid(uid)
        .withDeletionTimestamp(terminating ? "2026-12-03T10:00:00Z" : null)
        .endMetadata()
        .withNewSpec()
        .withNodeName("worker-1")
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready ? "True" : "False")
        .endCondition()
        .endStatus()
        .build();
  }

  @Test
  @DisplayName(
      "a pod re-created under its name while its predecessor is Terminating: the name is the new UID's, and the new pod inherits neither the old Ready time nor, from late updates, the old UID")
  void recreatedPodIsItsOwn() {
    tracker.created("old", "kd-pod-0", clock.monotonicTime());
    clock.add(Duration.ofSeconds(2));
    informer.onAdd(pod("old", true, false));
    long oldReady = tracker.times("old").ready;
    assertThat(oldReady).isPositive();

    // deleted gracefully: the kubelet is still stopping it
    informer.onUpdate(pod("old", true, false), pod("old", true, true));
    assertThat(tracker.times("old").terminating).isTrue();

    clock.add(Duration.ofSeconds(1));
    tracker.created("new", "kd-pod-0", clock.monotonicTime());
    // the informer, lagging, still delivers the old pod: Ready, terminating, then gone
    informer.onUpdate(pod("old", true, false), pod("old", true, false));
    informer.onUpdate(pod("old", true, false), pod("old", false, true));
    informer.onDelete(pod("old", false, true), false);
    informer.onUpdate(pod("old", false, true), pod("old", true, false));
    assertThat(tracker.uidOf("kd-pod-0")).hasValue("new");
    assertThat(tracker.times("new").ready).isZero();

    clock.add(Duration.ofSeconds(3));
    informer.onAdd(pod("new", false, false));
    informer.onUpdate(pod("new", false, false), pod("new", true, false));
    assertThat(tracker.times("new").ready).isEqualTo(oldReady + TimeUnit.SECONDS.toNanos(4));
    assertThat(tracker.uidOf("kd-pod-0")).hasValue("new");
  }

  @Test
  @DisplayName(
      "waiting for deleted pods ends when the informer saw each one go, and returns those still Terminating at the deadline")
  void awaitDeleted() throws Exception {
    informer.onAdd(pod("a", true, false));
    informer.onAdd(pod("b", true, false));
    informer.onDelete(pod("a", true, true), false);
    assertThat(tracker.awaitDeleted(List.of("a"), Duration.ofSeconds(5))).isEmpty();
    // the MockClock does not move: a zero wait reads once and returns what is left
    assertThat(tracker.awaitDeleted(List.of("a", "b"), Duration.ZERO)).isEqualTo(Set.of("b"));
    Thread deleter =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                return;
              }
              informer.onDelete(pod("b", true, true), false);
            });
    deleter.start();
    // woken by the delete, long before a deadline the MockClock never reaches
    assertThat(tracker.awaitDeleted(List.of("a", "b"), Duration.ofSeconds(1))).isEmpty();
    deleter.join();
  }

  private static io.fabric8.kubernetes.api.model.Event event(
      String uid, String reason, String message) {
    return new io.fabric8.kubernetes.api.model.EventBuilder()
        .withReason(reason)
        .withMessage(message)
        .withNewInvolvedObject()
        .withKind("Pod")
        .withName("kd-pod-0")
        .withUid(uid)
        .endInvolvedObject()
        .build();
  }

  @Test
  @DisplayName(
      "Multus' AddedInterface events (\"Add %s %v from %s\", one per delegate) are kept per interface with when they came; an event's update (its count + 1) is not a second one")
  void addedInterfaces() {
    var events = tracker.eventHandler();
    long t0 = clock.monotonicTime();
    tracker.created("u1", "kd-pod-0", t0);
    clock.add(Duration.ofMillis(40));
    var eth0 = event("u1", "AddedInterface", "Add eth0 [fd00:100::5] from kd-primary");
    events.onAdd(eth0);
    clock.add(Duration.ofMillis(1800));
    events.onAdd(
        event("u1", "AddedInterface", "Add net1 [fd00:10:1::7 198.18.1.7] from kd-run-x/sat-a"));
    clock.add(Duration.ofMillis(5));
    events.onUpdate(eth0, eth0);
    events.onAdd(event("u1", "Pulled", "Container image \"pause\" already present on machine"));
    events.onAdd(event("u1", "AddedInterface", "Added an interface, somehow"));

    assertThat(tracker.times("u1").added)
        .containsExactly(
            new PodTracker.Added("eth0", "kd-primary", t0 + TimeUnit.MILLISECONDS.toNanos(40)),
            new PodTracker.Added(
                "net1", "kd-run-x/sat-a", t0 + TimeUnit.MILLISECONDS.toNanos(1840)));
  }
}
