package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Clock;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The DaemonSet controller ({@code pkg/controller/daemon}) for the one node: every DaemonSet gets
 * one pod there, named {@code <ds>-<5 random>}, owned by it, from its template with the node
 * affinity the controller adds ({@code matchFields metadata.name In [node]}), created as the
 * controller's own identity. A create refused by admission becomes a {@code FailedCreate} warning
 * event on the DaemonSet ("Error creating: …") and is retried with a back-off; a deleted DaemonSet
 * takes its pods along (the garbage collector's part). Reconciles every second.
 */
final class DaemonSetController implements AutoCloseable {
  static final long FIRST_BACKOFF_MILLIS = 1000;
  static final long MAX_BACKOFF_MILLIS = 30_000;

  private final KubernetesClient client;
  private final String nodeName;
  private final EventRecorder events;
  private final Clock clock;
  private final Consumer<String> log;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kd-sim-daemonsets"));
  private final Map<String, long[]> backoff = new ConcurrentHashMap<>(); // uid → {next, delay}
  private final Map<String, String> owned = new ConcurrentHashMap<>(); // ds uid → ns
  private final SecureRandom random = new SecureRandom();

  DaemonSetController(
      KubernetesClient client,
      String nodeName,
      EventRecorder events,
      Clock clock,
      Consumer<String> log) {
    this.client = client;
    this.nodeName = nodeName;
    this.events = events;
    this.clock = clock;
    this.log = log;
  }

  void start() {
    loop.scheduleWithFixedDelay(this::reconcileSafely, 0, 1, TimeUnit.SECONDS);
  }

  private void reconcileSafely() {
    try {
      reconcile();
    } catch (RuntimeException e) {
      log.accept("daemonset controller: " + e.getMessage());
    }
  }

  void reconcile() {
    List<DaemonSet> sets = client.apps().daemonSets().inAnyNamespace().list().getItems();
    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    for (DaemonSet ds : sets) {
      String uid = ds.getMetadata().getUid();
      owned.put(uid, ds.getMetadata().getNamespace());
      if (ds.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      boolean has =
          pods.stream()
              .anyMatch(p -> ownedBy(p, uid) && p.getMetadata().getDeletionTimestamp() == null);
      long[] b = backoff.get(uid);
      if (has || (b != null && clock.wallTime() < b[0])) {
        continue;
      }
      create(ds);
    }
    // the garbage collector: pods of DaemonSets that are gone
    for (Pod p : pods) {
      var refs = p.getMetadata().getOwnerReferences();
      if (refs == null) {
        continue;
      }
      for (var r : refs) {
        if ("DaemonSet".equals(r.getKind())
            && sets.stream().noneMatch(ds -> ds.getMetadata().getUid().equals(r.getUid()))
            && p.getMetadata().getDeletionTimestamp() == null) {
          try {
            client
                .pods()
                .inNamespace(p.getMetadata().getNamespace())
                .withName(p.getMetadata().getName())
                .delete();
          } catch (KubernetesClientException e) {
            // gone already
          }
        }
      }
    }
  }

  private static boolean ownedBy(Pod p, String uid) {
    var refs = p.getMetadata().getOwnerReferences();
    return refs != null && refs.stream().anyMatch(r -> uid.equals(r.getUid()));
  }

  private void create(DaemonSet ds) {
    String ns = ds.getMetadata().getNamespace();
    String name = ds.getMetadata().getName() + "-" + suffix();
    var template = ds.getSpec().getTemplate();
    Pod pod =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(ns)
            .withLabels(
                template.getMetadata() == null ? Map.of() : template.getMetadata().getLabels())
            .withAnnotations(
                template.getMetadata() == null ? Map.of() : template.getMetadata().getAnnotations())
            .withOwnerReferences(
                new OwnerReferenceBuilder()
                    .withApiVersion("apps/v1")
                    .withKind("DaemonSet")
                    .withName(ds.getMetadata().getName())
                    .withUid(ds.getMetadata().getUid())
                    .withController(true)
                    .withBlockOwnerDeletion(true)
                    .build())
            .endMetadata()
            .withSpec(template.getSpec())
            .editSpec()
            .withAffinity(
                new AffinityBuilder()
                    .withNewNodeAffinity()
                    .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                    .addNewNodeSelectorTerm()
                    .withMatchFields(
                        new NodeSelectorRequirementBuilder()
                            .withKey("metadata.name")
                            .withOperator("In")
                            .withValues(nodeName)
                            .build())
                    .endNodeSelectorTerm()
                    .endRequiredDuringSchedulingIgnoredDuringExecution()
                    .endNodeAffinity()
                    .build())
            .endSpec()
            .build();
    String uid = ds.getMetadata().getUid();
    try {
      client.pods().inNamespace(ns).resource(pod).create();
      backoff.remove(uid);
    } catch (KubernetesClientException e) {
      String why =
          e.getStatus() != null && e.getStatus().getMessage() != null
              ? e.getStatus().getMessage()
              : e.getMessage();
      events.record(ds, "Warning", "FailedCreate", "Error creating: " + why);
      long[] b = backoff.getOrDefault(uid, new long[] {0, FIRST_BACKOFF_MILLIS / 2});
      long delay = Math.min(MAX_BACKOFF_MILLIS, b[1] * 2);
      backoff.put(uid, new long[] {clock.wallTime() + delay, delay});
    }
  }

  private String suffix() {
    String alphabet = "bcdfghjklmnpqrstvwxz2456789"; // k8s.io/apimachinery rand.String's
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 5; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
