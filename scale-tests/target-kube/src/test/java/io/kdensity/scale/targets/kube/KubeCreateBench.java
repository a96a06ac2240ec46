package io.kdensity.scale.targets.kube;

import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.targets.ScaleResult;
import io.micrometer.core.instrument.Clock;
import java.lang.management.ManagementFactory;

/**
 * Issue figures for the Kubernetes target against fabric8's mock API server (CRUD) with the fake
 * kubelet: creating N pods at QPS q (burst 1, so no burst inflates the rate) achieves what share of
 * q, and how much heap the JVM holds with N pods in the informer cache. The mock server runs in the
 * same JVM, so the heap figure is an upper bound for the client. Run with {@code
 * scale-tests/bench/kube-create.sh} (-Xmx512m).
 */
public final class KubeCreateBench {
  private KubeCreateBench() {}

  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int qps = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    try (FakeCluster cluster = new FakeCluster(pods + 100, true).startKubelet()) {
      Plan plan =
          PlanLoader.parse(
              String.join(
                  "\n",
                  "name: kube-bench",
                  "target: {type: kube, node: worker-1, kube: {qps: "
                      + qps
                      + ", burst: 1, concurrency: 32, readyTimeout: 600s}}",
                  "attachments:",
                  "  - name: sat-a",
                  "    config: {type: macvlan, master: ens1f0, ipam: {type: whereabouts, range: 'fd00:10:1::/64'}}",
                  "interfacesPerPod: 1",
                  "ramp: {steps: [" + pods + "]}",
                  ""),
              "kube-bench.yaml");
      try (KubeTarget t =
          new KubeTarget(
              plan, cluster.client, cluster.node(), "bench1", NodeFacts.UNKNOWN, Clock.SYSTEM)) {
        t.setUp();
        long t0 = System.nanoTime();
        ScaleResult r = t.scaleTo(pods);
        double s = (System.nanoTime() - t0) / 1e9;
        double createSeconds = t.createWindowSeconds();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(
            "kube target against the mock API server: %d pods at QPS %d (burst 1)%n", pods, qps);
        System.out.printf(
            "  creations took %.1f s: %.1f pods/s = %.1f%% of the configured rate%n",
            createSeconds, (pods - 1) / createSeconds, 100 * (pods - 1) / createSeconds / qps);
        System.out.printf(
            "  all %d pods Ready after %.1f s; ready p50 %.0f ms p99 %.0f ms%n",
            r.readyMicros().getTotalCount(),
            s,
            r.readyMicros().getValueAtPercentile(50) / 1000.0,
            r.readyMicros().getValueAtPercentile(99) / 1000.0);
        System.out.printf(
            "  heap in use with %d pods in the informer cache (client and mock server): %d MB of %d MB max%n",
            pods, heap >> 20, Runtime.getRuntime().maxMemory() >> 20);
      }
    }
  }
}
