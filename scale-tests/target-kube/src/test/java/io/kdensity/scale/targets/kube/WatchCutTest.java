package io.kdensity.scale.targets.kube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.net.URI;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A watch cut at the TCP level — a load balancer's idle timeout, an API server restarting — ends
 * the connection without any HTTP status (not the 410 Gone of an expired resource version). What
 * README promises: fabric8's informer re-watches, and pods created after the cut are still seen;
 * kdensity's informer health stays green.
 */
class WatchCutTest {
  private static final String NS = "kdensity-abc123";
  private final FakeCluster cluster = new FakeCluster(110, true);
  private TcpProxy proxy;
  private KubernetesClient viaProxy;

  @AfterEach
  void close() throws Exception {
    if (viaProxy != null) {
      viaProxy.close();
    }
    if (proxy != null) {
      proxy.close();
    }
    cluster.close();
  }

  private void create(String pod) {
    cluster
        .client
        .pods()
        .inNamespace(NS)
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(pod)
                .withNamespace(NS)
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("c")
                .withImage("registry.k8s.io/pause:3.10")
                .endContainer()
                .endSpec()
                .build())
        .create();
  }

  @Test
  @DisplayName(
      "a watch cut at the TCP level is re-established: pods created after the cut are seen")
  void aWatchCutAtTheTcpLevelIsReestablished() throws Exception {
    cluster
        .client
        .namespaces()
        .resource(new NamespaceBuilder().withNewMetadata().withName(NS).endMetadata().build())
        .create();
    URI api = URI.create(cluster.client.getMasterUrl().toString());
    proxy = new TcpProxy(api.getHost(), api.getPort());
    viaProxy =
        new KubernetesClientBuilder()
            .withConfig(
                new ConfigBuilder(cluster.client.getConfiguration())
                    .withMasterUrl("http://127.0.0.1:" + proxy.port())
                    .build())
            .build();
    Set<String> seen = ConcurrentHashMap.newKeySet();
    SharedIndexInformer<Pod> informer =
        viaProxy
            .pods()
            .inNamespace(NS)
            .inform(
                new ResourceEventHandler<>() {
                  public void onAdd(Pod p) {
                    seen.add(p.getMetadata().getName());
                  }

                  public void onUpdate(Pod o, Pod n) {
                    seen.add(n.getMetadata().getName());
                  }

                  public void onDelete(Pod p, boolean unknown) {}
                },
                0);
    InformerHealth health = new InformerHealth();
    health.add("pods of " + NS, informer);
    create("before-cut");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> seen.contains("before-cut"));

    assertThat(proxy.cutAll()).as("connections cut").isPositive();
    create("after-cut");

    // A real API server replays what changed since the re-watch's resourceVersion (its watch
    // cache), so a pod created while the watch was down is still delivered. fabric8's mock does
    // not replay: it sends only what changes after the new watch is registered, so the re-watch
    // may come after the create. The pod is touched until the re-established watch delivers it:
    // what is proven is that the informer watches again and sees the pods' changes.
    java.util.concurrent.atomic.AtomicInteger touches =
        new java.util.concurrent.atomic.AtomicInteger();
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofSeconds(2))
        .until(
            () -> {
              if (seen.contains("after-cut")) {
                return true;
              }
              cluster
                  .client
                  .pods()
                  .inNamespace(NS)
                  .withName("after-cut")
                  .edit(
                      p ->
                          new PodBuilder(p)
                              .editMetadata()
                              .addToLabels("touch", Integer.toString(touches.incrementAndGet()))
                              .endMetadata()
                              .build());
              return false;
            });
    assertThat(informer.isRunning()).isTrue();
    assertThatCode(health::require).doesNotThrowAnyException();
    informer.stop();
  }
}
