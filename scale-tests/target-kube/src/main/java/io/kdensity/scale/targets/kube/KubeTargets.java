package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.RunId;
import io.kdensity.scale.targets.Target;
import io.micrometer.core.instrument.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Creates the Kubernetes target of a plan from kubeconfig (file and context) or in-cluster. */
public final class KubeTargets {
  private KubeTargets() {}

  public static KubernetesClient client(TargetSpec.Kube k) {
    Config base;
    if (k.kubeconfig() != null) {
      try {
        base =
            Config.fromKubeconfig(
                k.context(), Files.readString(Path.of(k.kubeconfig())), k.kubeconfig());
      } catch (IOException e) {
        throw new InfrastructureException(
            "cannot read kubeconfig " + k.kubeconfig() + ": " + e.getMessage(), e);
      }
    } else {
      base = Config.autoConfigure(k.context());
    }
    Config cfg =
        new ConfigBuilder(base)
            .withRequestRetryBackoffLimit(8)
            .withRequestRetryBackoffInterval(250)
            .withMaxConcurrentRequests(Math.max(64, k.concurrency()))
            .withMaxConcurrentRequestsPerHost(Math.max(64, k.concurrency()))
            .build();
    return new KubernetesClientBuilder().withConfig(cfg).build();
  }

  public static Target create(Plan plan, NodeFacts facts, Clock clock) {
    KubernetesClient client = client(plan.target().kube());
    String runId = RunId.random().value();
    DaemonSetNode node =
        new DaemonSetNode(
            client,
            "kdensity-" + runId,
            runId,
            plan.target().node(),
            plan.target().kube().probeImage(),
            Duration.ofSeconds(plan.target().kube().readyTimeoutSeconds()),
            clock,
            // exec requests at the rate pods are created, in a bucket of their own
            new RateLimiter(plan.target().kube().qps(), plan.target().kube().burst(), clock));
    return new KubeTarget(plan, client, node, runId, facts, clock);
  }
}
