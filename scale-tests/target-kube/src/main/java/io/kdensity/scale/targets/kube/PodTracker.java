package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the informers saw of each pod, keyed by the pod's UID, so a pod re-created under the same
 * name (bisection) starts from nothing and an event of the old one never counts against the new one
 * (events carry {@code involvedObject.uid}). Times are the run clock's monotonic nanoseconds when
 * the informer delivered the change, so no clock of the API server enters the latencies.
 */
final class PodTracker {

  /** Per pod: when each milestone was seen (0 until then), and what went wrong. */
  static final class Times {
    volatile long created;
    volatile long scheduled;
    volatile long networked;
    volatile long ready;
    volatile Pod last;
    volatile boolean terminating;
    volatile boolean deleted;

    /** A terminal failure the kubelet or scheduler reported in the pod's status. */
    volatile Failure statusFailure;

    /** Sandbox failures (the kubelet retries them). */
    final List<Failure> sandboxFailures = new CopyOnWriteArrayList<>();

    /** Multus' AddedInterface events, one per interface, as the informer delivered them. */
    final List<Added> added = new CopyOnWriteArrayList<>();
  }

  /**
   * One interface Multus added: its {@code AddedInterface} event, which it sends right after that
   * delegate's ADD returned ({@code delegateAdd}).
   *
   * @param ifname the pod's interface
   * @param network the delegate's name: {@code namespace/name} of a NetworkAttachmentDefinition, or
   *     the cluster network's
   * @param at when the informer delivered it
   */
  record Added(String ifname, String network, long at) {}

  /** The reason of the event Multus sends after each delegate's ADD. */
  static final String ADDED_INTERFACE = "AddedInterface";

  /** Multus' message: {@code "Add %s %v from %s"} (ifname, the result's IPs, the delegate). */
  private static final Pattern ADDED_MESSAGE = Pattern.compile("^Add (\\S+) \\[.*\\] from (\\S+)$");

  /** An AddedInterface event's interface and network, if its message is Multus'. */
  static Optional<Added> added(String message, long at) {
    Matcher m = ADDED_MESSAGE.matcher(message);
    return m.matches() ? Optional.of(new Added(m.group(1), m.group(2), at)) : Optional.empty();
  }

  /**
   * A failure of one pod.
   *
   * @param reason the Kubernetes reason ({@code FailedCreatePodSandBox}, {@code SysctlForbidden},
   *     {@code OutOfpods}, {@code Unschedulable})
   * @param message what the kubelet, runtime or scheduler said
   * @param at when it was seen
   */
  record Failure(String reason, String message, long at) {}

  /** Event reasons of sandbox (CNI) failures, as the kubelet emits them. */
  static final List<String> SANDBOX_REASONS =
      List.of("FailedCreatePodSandBox", "FailedKillPodSandbox", "NoNetworkFound");

  private final Clock clock;
  private final Map<String, Times> byUid = new ConcurrentHashMap<>();
  private final Map<String, String> uidByName = new ConcurrentHashMap<>();

  PodTracker(Clock clock) {
    this.clock = clock;
  }

  /**
   * Waits until the informer saw every one of these pods deleted, at most {@code atMost}; returns
   * the UIDs still there. No request to the API server: the watch tells.
   */
  synchronized Set<String> awaitDeleted(Collection<String> uids, Duration atMost)
      throws InterruptedException {
    long end = clock.monotonicTime() + atMost.toNanos();
    Set<String> left = new LinkedHashSet<>(uids);
    while (true) {
      left.removeIf(u -> times(u).deleted);
      long wait = end - clock.monotonicTime();
      if (left.isEmpty() || wait <= 0) {
        return left;
      }
      wait(Math.max(1, Math.min(1000, wait / 1_000_000)));
    }
  }

  /** The record of a pod by UID (empty record if nothing was seen yet). */
  Times times(String uid) {
    return byUid.computeIfAbsent(uid, k -> new Times());
  }

  /** The UID of the pod that currently has this name, if the informer saw one. */
  Optional<String> uidOf(String name) {
    return Optional.ofNullable(uidByName.get(name));
  }

  /** The API server accepted pod {@code uid}; {@code at} is when kdensity sent the request. */
  void created(String uid, String name, long at) {
    times(uid).created = at;
    uidByName.put(name, uid);
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
        times(p.getMetadata().getUid()).deleted = true;
        synchronized (PodTracker.this) {
          PodTracker.this.notifyAll();
        }
      }
    };
  }

  private void seen(Pod p) {
    String uid = p.getMetadata().getUid();
    Times t = times(uid);
    if (p.getMetadata().getDeletionTimestamp() != null) {
      // a pod on its way out: its events never name, nor time, the pod that replaces it under the
      // same name (bisection, churn); only its going counts
      t.terminating = true;
      return;
    }
    if (t.deleted) {
      return; // a late update of a pod already gone
    }
    // the name's pod is the one kdensity created last (created(), from the create response); an
    // informer lagging behind never hands the name back to its predecessor
    uidByName.putIfAbsent(p.getMetadata().getName(), uid);
    t.last = p;
    long now = clock.monotonicTime();
    if (t.scheduled == 0
        && (p.getSpec() != null && p.getSpec().getNodeName() != null
            || condition(p, "PodScheduled"))) {
      t.scheduled = now;
    }
    if (t.networked == 0
        && p.getMetadata().getAnnotations() != null
        && p.getMetadata().getAnnotations().containsKey(KubeLabels.NETWORK_STATUS)) {
      t.networked = now;
    }
    if (t.ready == 0 && condition(p, "Ready")) {
      t.ready = now;
    }
    if (t.statusFailure == null) {
      statusFailure(p, now).ifPresent(f -> t.statusFailure = f);
    }
  }

  /**
   * A failure the pod's status reports for good: phase Failed with a reason (the kubelet's
   * admission: {@code SysctlForbidden}, {@code OutOfpods}), or the scheduler's {@code
   * Unschedulable}.
   */
  static Optional<Failure> statusFailure(Pod p, long now) {
    var st = p.getStatus();
    if (st == null) {
      return Optional.empty();
    }
    if ("Failed".equals(st.getPhase())) {
      return Optional.of(
          new Failure(
              st.getReason() == null ? "Failed" : st.getReason(),
              st.getMessage() == null ? "" : st.getMessage(),
              now));
    }
    if (st.getConditions() != null) {
      for (PodCondition c : st.getConditions()) {
        if ("PodScheduled".equals(c.getType())
            && "False".equals(c.getStatus())
            && "Unschedulable".equals(c.getReason())) {
          return Optional.of(
              new Failure("Unschedulable", c.getMessage() == null ? "" : c.getMessage(), now));
        }
      }
    }
    return Optional.empty();
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
    var obj = e.getInvolvedObject();
    if (obj == null || !"Pod".equals(obj.getKind())) {
      return;
    }
    String reason = e.getReason() == null ? "" : e.getReason();
    if (!SANDBOX_REASONS.contains(reason) && !ADDED_INTERFACE.equals(reason)) {
      return;
    }
    // the kubelet sets the pod's UID; an event without one is matched to the current pod by name
    String uid = obj.getUid() != null ? obj.getUid() : uidByName.get(obj.getName());
    if (uid == null) {
      return;
    }
    Times t = times(uid);
    String msg = e.getMessage() == null ? "" : e.getMessage();
    if (ADDED_INTERFACE.equals(reason)) {
      // an update (count + 1) of an event already seen adds nothing
      added(msg, clock.monotonicTime())
          .filter(a -> t.added.stream().noneMatch(x -> x.ifname().equals(a.ifname())))
          .ifPresent(t.added::add);
      return;
    }
    if (t.sandboxFailures.stream().noneMatch(f -> f.message().equals(msg))) {
      t.sandboxFailures.add(new Failure(reason, msg, clock.monotonicTime()));
    }
  }
}
