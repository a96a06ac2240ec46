package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kdensity.scale.targets.InfrastructureException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The run's informers must be alive for its latencies and failures to mean anything: an informer
 * whose watch ended with an error its exception handler does not retry has stopped for good
 * (fabric8's Reflector: "{} failed for {}, will stop"), and every later step would wait for pods it
 * never hears of. {@link #require()} turns that into an infrastructure error naming the informer
 * and why it stopped, instead of a step that times out.
 */
final class InformerHealth {
  private final Map<String, SharedIndexInformer<?>> informers = new LinkedHashMap<>();

  /** Watches {@code informer} under {@code name} (e.g. "pods of kdensity-ab12cd"). */
  void add(String name, SharedIndexInformer<?> informer) {
    informers.put(name, informer);
  }

  /**
   * @throws InfrastructureException naming the first informer that stopped and its cause
   */
  void require() {
    informers.forEach(
        (name, informer) -> {
          if (!informer.isRunning()) {
            String why = cause(informer);
            throw new InfrastructureException(
                "the informer of "
                    + name
                    + " stopped"
                    + (why.isEmpty() ? "" : ": " + why)
                    + " — its watch ended with an error the client does not retry; the run"
                    + " cannot follow its pods any more");
          }
        });
  }

  private static String cause(SharedIndexInformer<?> informer) {
    CompletableFuture<Void> stopped = informer.stopped().toCompletableFuture();
    if (!stopped.isCompletedExceptionally()) {
      return "";
    }
    try {
      stopped.get();
      return "";
    } catch (ExecutionException e) {
      return String.valueOf(e.getCause() == null ? e : e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
