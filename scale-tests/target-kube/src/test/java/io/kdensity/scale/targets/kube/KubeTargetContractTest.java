package io.kdensity.scale.targets.kube;

import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.TargetContract;
import io.micrometer.core.instrument.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The Target contract for the cluster target, against the fake API server, kubelet and Multus. */
class KubeTargetContractTest extends TargetContract {
  private final FakeCluster cluster = new FakeCluster(2500, true).startKubelet();

  @AfterEach
  void close() {
    cluster.close();
  }

  @Override
  protected Plan plan() {
    return KubeTargetTest.plan("{steps: [3]}");
  }

  @Override
  protected Target newTarget(Plan plan) {
    return new KubeTarget(
        plan, cluster.client, cluster.node(), "abc123", NodeFacts.UNKNOWN, Clock.SYSTEM);
  }

  /** The run's namespace and the pods in it, as the API server has them. */
  @Override
  protected List<String> leftovers(Target t) {
    String ns = ((KubeTarget) t).namespace();
    List<String> out = new ArrayList<>();
    if (cluster.client.namespaces().withName(ns).get() != null) {
      out.add("namespace " + ns);
    }
    cluster
        .client
        .pods()
        .inNamespace(ns)
        .list()
        .getItems()
        .forEach(p -> out.add("pod " + p.getMetadata().getName()));
    return out;
  }
}
