package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.kdensity.probes.concurrent.DaemonThreads;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The namespace controller with the service-account controller's one job here: a new namespace gets
 * its {@code default} ServiceAccount; a Terminating namespace is emptied (its pods deleted
 * gracefully, so their kubelet stops them, then everything else), and once no pod is left it is
 * finalized, which removes it. Reconciles every second.
 */
final class NamespaceController implements AutoCloseable {
  /** The namespaced resources the run's namespaces can hold, deleted after the pods. */
  static final List<ResourceDefinitionContext> CONTENT =
      List.of(
          context("apps", "v1", "DaemonSet", "daemonsets"),
          context(
              "k8s.cni.cncf.io",
              "v1",
              "NetworkAttachmentDefinition",
              "network-attachment-definitions"),
          context("coordination.k8s.io", "v1", "Lease", "leases"),
          context("rbac.authorization.k8s.io", "v1", "RoleBinding", "rolebindings"),
          context("rbac.authorization.k8s.io", "v1", "Role", "roles"),
          context("", "v1", "ServiceAccount", "serviceaccounts"),
          context("", "v1", "Event", "events"));

  private final KubernetesClient client;
  private final Consumer<String> log;
  private final ScheduledExecutorService loop =
      Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("kd-sim-namespaces"));

  NamespaceController(KubernetesClient client, Consumer<String> log) {
    this.client = client;
    this.log = log;
  }

  private static ResourceDefinitionContext context(
      String group, String version, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withNamespaced(true)
        .build();
  }

  void start() {
    loop.scheduleWithFixedDelay(
        () -> {
          try {
            reconcile();
          } catch (RuntimeException e) {
            log.accept("namespace controller: " + e.getMessage());
          }
        },
        0,
        1,
        TimeUnit.SECONDS);
  }

  void reconcile() {
    for (Namespace ns : client.namespaces().list().getItems()) {
      String name = ns.getMetadata().getName();
      if (ns.getMetadata().getDeletionTimestamp() == null) {
        if (client.serviceAccounts().inNamespace(name).withName("default").get() == null) {
          try {
            client
                .serviceAccounts()
                .inNamespace(name)
                .resource(
                    new ServiceAccountBuilder()
                        .withNewMetadata()
                        .withName("default")
                        .withNamespace(name)
                        .endMetadata()
                        .build())
                .create();
          } catch (KubernetesClientException e) {
            // created meanwhile, or the namespace went
          }
        }
        continue;
      }
      var pods = client.pods().inNamespace(name).list().getItems();
      for (var p : pods) {
        if (p.getMetadata().getDeletionTimestamp() == null) {
          try {
            client.pods().inNamespace(name).withName(p.getMetadata().getName()).delete();
          } catch (KubernetesClientException e) {
            // gone already
          }
        }
      }
      if (!pods.isEmpty()) {
        continue; // the kubelet is still stopping them
      }
      for (ResourceDefinitionContext c : CONTENT) {
        try {
          client.genericKubernetesResources(c).inNamespace(name).delete();
        } catch (KubernetesClientException e) {
          // nothing of that kind
        }
      }
      finalizeNamespace(ns);
    }
  }

  /** {@code PUT /api/v1/namespaces/NAME/finalize} without finalizers: the API server removes it. */
  private void finalizeNamespace(Namespace ns) {
    Namespace empty =
        new NamespaceBuilder(ns).editOrNewSpec().withFinalizers(List.of()).endSpec().build();
    var http = client.getHttpClient();
    var request =
        http.newHttpRequestBuilder()
            .uri(
                client.getMasterUrl().toString().replaceAll("/$", "")
                    + "/api/v1/namespaces/"
                    + ns.getMetadata().getName()
                    + "/finalize")
            .put("application/json", Serialization.asJson(empty))
            .build();
    try {
      http.sendAsync(request, String.class).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.accept("namespace controller: cannot finalize " + ns.getMetadata().getName() + ": " + e);
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
