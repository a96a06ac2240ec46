package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What the informers saw of each pod: when kdensity created it, when it was scheduled, when Multus
 * wrote its network-status, when it became Ready, and sandbox failures from events. Times are local
 * {@code System.nanoTime()} when the informer delivered the change, so no clock of the API server
 * enters the latencies.
 */
final class PodTracker {
  static final String NETWORK_STATUS = "k8s.v1.cni.cncf.io/network-status";

  /** Per pod: nanoTime of each milestone, 0 until seen. */
  static final class Times {
    volatile long created;
    volatile long scheduled;
    volatile long networked;
    volatile long ready;
    volatile Pod last;
    volatile boolean deleted;
  }

  /** A sandbox failure event. */
  record SandboxFailure(String pod, String reason, String message) {}

  final Map<String, Times> pods = new ConcurrentHashMap<>();
  final List<SandboxFailure> failures = new CopyOnWriteArrayList<>();

  Times times(String pod) {
    return pods.computeIfAbsent(pod, k -> new Times());
  }

  void created(String pod) {
    Times t = times(pod);
    t.created = System.nanoTime();
    t.deleted = false;
  }

  ResourceEventHandler<Pod> podHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) {
        seen(p);
      }

      @Override
      public void onUpdate(Pod old, Pod p) {
        seen(p);
      }

      @Override
      public void onDelete(Pod p, boolean unknownFinalState) {
        times(p.getMetadata().getName()).deleted = true;
      }
    };
  }

  private void seen(Pod p) {
    Times t = times(p.getMetadata().getName());
    t.last = p;
    long now = System.nanoTime();
    if (t.scheduled == 0
        && (p.getSpec() != null && p.getSpec().getNodeName() != null
            || condition(p, "PodScheduled"))) {
      t.scheduled = now;
    }
    if (t.networked == 0
        && p.getMetadata().getAnnotations() != null
        && p.getMetadata().getAnnotations().containsKey(NETWORK_STATUS)) {
      t.networked = now;
    }
    if (t.ready == 0 && condition(p, "Ready")) {
      t.ready = now;
    }
  }

  static boolean condition(Pod p, String type) {
    return p.getStatus() != null
        && p.getStatus().getConditions() != null
        && p.getStatus().getConditions().stream()
            .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  ResourceEventHandler<Event> eventHandler() {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(Event e) {
        record(e);
      }

      @Override
      public void onUpdate(Event old, Event e) {
        record(e);
      }

      @Override
      public void onDelete(Event e, boolean unknownFinalState) {}
    };
  }

  private void record(Event e) {
    if (e.getInvolvedObject() == null || !"Pod".equals(e.getInvolvedObject().getKind())) {
      return;
    }
    String reason = e.getReason() == null ? "" : e.getReason();
    if (reason.equals("FailedCreatePodSandBox")
        || reason.equals("FailedKillPodSandbox")
        || reason.equals("NoNetworkFound")) {
      String pod = e.getInvolvedObject().getName();
      if (failures.stream()
          .noneMatch(f -> f.pod().equals(pod) && f.message().equals(e.getMessage()))) {
        failures.add(new SandboxFailure(pod, reason, e.getMessage() == null ? "" : e.getMessage()));
      }
    }
  }
}
