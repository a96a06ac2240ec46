package io.kdensity.scale.bench;

import io.kdensity.probes.DefaultProbes;
import io.kdensity.probes.addr.IpLossProbe;
import io.kdensity.probes.node.LocalNodeFacts;
import io.kdensity.probes.probe.PodInterface;
import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.Sweep;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.local.LocalCleanup;
import io.kdensity.scale.targets.local.LocalNames;
import io.micrometer.core.instrument.Clock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A full sweep of all probes over a node namespace with N pod namespaces × K interfaces, against
 * the baseline of a shell loop of {@code ip -n <ns> -j addr} per namespace, in the same run. Prints
 * wall times, the ratio and the peak heap of the sweep. Builds its own {@code kd-<id>-*} topology
 * (veth pairs with IPv6 addresses and an anchor process per pod) and removes it.
 */
public final class ProbeSweepBench {
  private final Clock clock = Clock.SYSTEM;
  private final LocalShell host = new LocalShell(clock);
  private final LocalNames names = LocalNames.random();

  public record Result(
      int pods,
      int interfaces,
      long baselineMs,
      List<Long> sweepMs,
      long peakHeapBytes,
      int addressesSeen) {
    public long medianSweepMs() {
      List<Long> s = new ArrayList<>(sweepMs);
      s.sort(Long::compare);
      return s.get(s.size() / 2);
    }
  }

  public Result run(int pods, int perPod, int repeats) throws Exception {
    List<Process> anchors = new ArrayList<>();
    try {
      List<PodView> views = build(pods, perPod, anchors);
      String loop =
          "for ns in $(ls /run/netns | grep '^"
              + names.prefix()
              + "p'); do ip -n \"$ns\" -j addr; done > /dev/null";
      long b0 = clock.monotonicTime();
      CommandResult r =
          host.run(Command.of("bash", "-c", loop).withTimeout(Duration.ofMinutes(10)));
      long baseline = (clock.monotonicTime() - b0) / 1_000_000;
      r.requireSuccess();
      NetnsShell node = new NetnsShell(names.node(), host);
      ProbeScope scope =
          ProbeScope.builder(host, node)
              .l2Domains(List.of(new NetnsShell(names.fabric(), host)))
              .pods(views)
              .socketNamespaces(List.of(node))
              .facts(LocalNodeFacts.collect())
              .build();
      List<Long> times = new ArrayList<>();
      long peak = 0;
      int seen = 0;
      try (ProbeRunner runner =
          new ProbeRunner(DefaultProbes.registry(DefaultProbes.Thresholds.DEFAULT), clock, 16)) {
        runner.snapshot(scope); // warm-up: class loading and JIT
        for (int i = 0; i < repeats; i++) {
          System.gc();
          ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
          long t0 = clock.monotonicTime();
          Sweep s = runner.snapshot(scope);
          times.add((clock.monotonicTime() - t0) / 1_000_000);
          if (!s.errors().isEmpty()) {
            throw new InfrastructureException("probe errors: " + s.errors());
          }
          peak = Math.max(peak, heapPeak());
          seen = ((IpLossProbe.Snapshot) s.snapshots().get("ip-loss")).present();
        }
      }
      return new Result(pods, pods * perPod, baseline, times, peak, seen);
    } finally {
      anchors.forEach(Process::destroyForcibly);
      new LocalCleanup(host).removeRun(names.runId());
    }
  }

  private static long heapPeak() {
    long sum = 0;
    for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
      if (p.getType() == MemoryType.HEAP) {
        sum += p.getPeakUsage().getUsed();
      }
    }
    return sum;
  }

  /** Node, fabric, pods with K veths each (addresses fd00:50:k::<pod>), one anchor per pod. */
  private List<PodView> build(int pods, int perPod, List<Process> anchors) throws Exception {
    StringBuilder root = new StringBuilder();
    root.append("netns add ")
        .append(names.node())
        .append('\n')
        .append("netns add ")
        .append(names.fabric())
        .append('\n');
    for (int p = 1; p <= pods; p++) {
      root.append("netns add ").append(names.pod(p)).append('\n');
    }
    host.run(
            Command.of("ip", "-batch", "-")
                .withStdin(root.toString())
                .withTimeout(Duration.ofMinutes(10)))
        .requireSuccess();
    StringBuilder node = new StringBuilder();
    for (int p = 1; p <= pods; p++) {
      for (int k = 1; k <= perPod; k++) {
        node.append("link add v")
            .append(p)
            .append('_')
            .append(k)
            .append(" type veth peer name net")
            .append(k)
            .append(" netns ")
            .append(names.pod(p))
            .append('\n');
        node.append("link set v").append(p).append('_').append(k).append(" up\n");
      }
    }
    new NetnsShell(names.node(), host)
        .run(
            Command.of("ip", "-batch", "-")
                .withStdin(node.toString())
                .withTimeout(Duration.ofMinutes(20)))
        .requireSuccess();
    List<PodView> views = new ArrayList<>();
    for (int p = 1; p <= pods; p++) {
      StringBuilder cfg = new StringBuilder();
      List<PodInterface> ifs = new ArrayList<>();
      for (int k = 1; k <= perPod; k++) {
        String addr = "fd00:50:" + k + "::" + Integer.toHexString(p);
        cfg.append("link set net")
            .append(k)
            .append(" up\naddr add ")
            .append(addr)
            .append("/64 dev net")
            .append(k)
            .append(" nodad\n");
        ifs.add(new PodInterface("net" + k, "bench-" + k, "veth", null, List.of(addr)));
      }
      Process a =
          new ProcessBuilder(
                  "nsenter",
                  "--net=/run/netns/" + names.pod(p),
                  "--",
                  "sh",
                  "-c",
                  "ip -batch - && echo ready && exec sleep 2147483647")
              .redirectErrorStream(true)
              .start();
      try (OutputStream in = a.getOutputStream()) {
        in.write(cfg.toString().getBytes(StandardCharsets.UTF_8));
      }
      String line =
          new BufferedReader(new InputStreamReader(a.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      if (!"ready".equals(line)) {
        throw new InfrastructureException("pod " + p + ": " + line);
      }
      anchors.add(a);
      views.add(
          new PodView(names.pod(p), new NetnsShell(names.pod(p), host).withAnchor(a.pid()), ifs));
    }
    return views;
  }

  /** {@code pods perPod repeats} */
  public static void main(String[] args) throws Exception {
    int pods = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int per = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int rep = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    System.err.printf("[bench] building %d pod namespaces × %d interfaces...%n", pods, per);
    Result r = new ProbeSweepBench().run(pods, per, rep);
    System.out.printf(
        "probe sweep, %d pod namespaces × %d interfaces = %d interfaces%n",
        r.pods(), per, r.interfaces());
    System.out.printf(
        "  baseline shell loop `ip -n NS -j addr` per namespace: %,d ms%n", r.baselineMs());
    System.out.printf(
        "  kdensity full sweep of all probes (median of %d): %,d ms  %s%n",
        rep, r.medianSweepMs(), Arrays.toString(r.sweepMs().toArray()));
    System.out.printf(
        "  ratio baseline/sweep: %.1fx%n",
        (double) r.baselineMs() / Math.max(1, r.medianSweepMs()));
    System.out.printf(
        "  peak heap during a sweep: %,d MB (max heap %,d MB)%n",
        r.peakHeapBytes() >> 20, Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf(
        "  addresses verified present: %,d of %,d%n", r.addressesSeen(), r.interfaces());
  }
}
