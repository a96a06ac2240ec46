package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kdensity.probes.concurrent.DaemonThreads;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * kube-scheduler for a one-node cluster, with the filters that decide kdensity's pods: the node
 * must match the pod's {@code nodeSelector} and required node affinity ({@code matchFields
 * metadata.name} or {@code matchExpressions} on {@code kubernetes.io/hostname}), and must have room
 * ({@code NodeResourcesFit} counts pods against the node's allocatable pods: "Too many pods"). A
 * placed pod is bound (spec.nodeName, {@code PodScheduled=True}, a {@code Scheduled} event); one
 * that fits nowhere stays Pending with {@code PodScheduled=False Unschedulable} and the scheduler's
 * message, and is tried again when a pod leaves the node.
 */
final class Scheduler implements AutoCloseable {
  static final String HOSTNAME = "kubernetes.io/hostname";

  private final KubernetesClient client;
  private final String nodeName;
  private final int allocatablePods;
  private final EventRecorder events;
  private final Consumer<String> log;
  private final ExecutorService queue =
      Executors.newSingleThreadExecutor(DaemonThreads.named("kd-sim-scheduler"));
  private final Set<String> bound = ConcurrentHashMap.newKeySet();
  private final Map<String, Pod> waiting = new ConcurrentHashMap<>();
  private SharedIndexInformer<Pod> informer;

  Scheduler(
      KubernetesClient client,
      String nodeName,
      int allocatablePods,
      EventRecorder events,
      Consumer<String> log) {
    this.client = client;
    this.nodeName = nodeName;
    this.allocatablePods = allocatablePods;
    this.events = events;
    this.log = log;
  }

  void start() {
    informer =
        client
            .pods()
            .inAnyNamespace()
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(Pod p) {
                    seen(p);
                  }

                  @Override
                  public void onUpdate(Pod old, Pod p) {
                    seen(p);
                  }

                  @Override
                  public void onDelete(Pod p, boolean unknown) {
                    String uid = p.getMetadata().getUid();
                    waiting.remove(uid);
                    if (bound.remove(uid)) {
                      retryWaiting();
                    }
                  }
                },
                0);
  }

  private void seen(Pod p) {
    String uid = p.getMetadata().getUid();
    String node = p.getSpec().getNodeName();
    if (node != null && !node.isEmpty()) {
      waiting.remove(uid);
      if (nodeName.equals(node) && !ended(p)) {
        bound.add(uid);
      } else if (bound.remove(uid)) {
        retryWaiting(); // it ended: its place is free
      }
      return;
    }
    if (p.getMetadata().getDeletionTimestamp() == null && !waiting.containsKey(uid)) {
      queue.execute(() -> schedule(p));
    }
  }

  private static boolean ended(Pod p) {
    String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
    return "Failed".equals(phase) || "Succeeded".equals(phase);
  }

  private void retryWaiting() {
    List<Pod> again = new ArrayList<>(waiting.values());
    waiting.clear();
    again.forEach(p -> queue.execute(() -> schedule(p)));
  }

  private void schedule(Pod p) {
    String why = fits(p);
    if (why == null && bound.size() >= allocatablePods) {
      why =
          "1 Too many pods. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.";
    }
    String ns = p.getMetadata().getNamespace();
    String name = p.getMetadata().getName();
    try {
      if (why != null) {
        waiting.put(p.getMetadata().getUid(), p);
        String message = "0/1 nodes are available: " + why;
        client
            .pods()
            .inNamespace(ns)
            .withName(name)
            .edit(
                x ->
                    new PodBuilder(x)
                        .withNewStatus()
                        .withPhase("Pending")
                        .withConditions(condition("False", "Unschedulable", message))
                        .endStatus()
                        .build());
        events.record(p, "Warning", "FailedScheduling", message);
        return;
      }
      bound.add(p.getMetadata().getUid());
      client
          .pods()
          .inNamespace(ns)
          .withName(name)
          .edit(
              x ->
                  new PodBuilder(x)
                      .editSpec()
                      .withNodeName(nodeName)
                      .endSpec()
                      .withNewStatus()
                      .withPhase("Pending")
                      .withConditions(condition("True", null, null))
                      .endStatus()
                      .build());
      events.record(
          p, "Normal", "Scheduled", "Successfully assigned " + ns + "/" + name + " to " + nodeName);
    } catch (KubernetesClientException e) {
      bound.remove(p.getMetadata().getUid());
      if (e.getCode() != 404) {
        log.accept("scheduler: cannot bind " + ns + "/" + name + ": " + e.getMessage());
      }
    }
  }

  private static PodCondition condition(String status, String reason, String message) {
    return new PodConditionBuilder()
        .withType("PodScheduled")
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .build();
  }

  /** Why the node does not match the pod's node selector or affinity, or null if it does. */
  String fits(Pod p) {
    Map<String, String> selector = p.getSpec().getNodeSelector();
    if (selector != null) {
      for (var e : selector.entrySet()) {
        if (!(e.getKey().equals(HOSTNAME) && e.getValue().equals(nodeName))
            && !e.getKey().equals("kubernetes.io/os")) {
          return "1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
        }
      }
    }
    var affinity = p.getSpec().getAffinity();
    if (affinity == null
        || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return null;
    }
    List<NodeSelectorTerm> terms =
        affinity
            .getNodeAffinity()
            .getRequiredDuringSchedulingIgnoredDuringExecution()
            .getNodeSelectorTerms();
    for (NodeSelectorTerm t : terms) {
      if (matches(t)) {
        return null; // terms are ORed
      }
    }
    return "1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
  }

  private boolean matches(NodeSelectorTerm t) {
    List<NodeSelectorRequirement> all = new ArrayList<>();
    if (t.getMatchFields() != null) {
      t.getMatchFields().forEach(r -> all.add(r));
    }
    if (t.getMatchExpressions() != null) {
      t.getMatchExpressions().forEach(r -> all.add(r));
    }
    for (NodeSelectorRequirement r : all) {
      boolean onName = r.getKey().equals("metadata.name") || r.getKey().equals(HOSTNAME);
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      boolean ok =
          switch (r.getOperator()) {
            case "In" -> onName && values.contains(nodeName);
            case "NotIn" -> !onName || !values.contains(nodeName);
            case "Exists" -> onName;
            case "DoesNotExist" -> !onName;
            default -> false;
          };
      if (!ok) {
        return false; // requirements of a term are ANDed
      }
    }
    return true;
  }

  @Override
  public void close() {
    if (informer != null) {
      informer.close();
    }
    queue.shutdownNow();
  }
}
