package io.kdensity.scale.bench;

import io.kdensity.config.run.IpamPlugin;
import io.kdensity.reports.model.Latency;
import io.kdensity.scale.targets.AttachStages;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.local.IpamTimer;
import io.micrometer.core.instrument.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What timing the IPAM stage costs an ADD: the host-local plugin's ADD run {@code N} times directly
 * and {@code N} times through the run's wrapper ({@link IpamTimer}), alternating, against one store
 * (so both see the same number of leases), each timed from exec to exit. Prints both p50/p99, the
 * difference of the medians (the wrapper's cost), and what the wrapper itself measured inside. No
 * namespace or interface is made: host-local only writes its lease files, here in a temporary
 * folder.
 */
public final class IpamWrapperBench {
  private static final Path HOST_LOCAL = Path.of("/usr/lib/cni/host-local");

  private IpamWrapperBench() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 500;
    if (!Files.isExecutable(HOST_LOCAL)) {
      throw new InfrastructureException(
          HOST_LOCAL + " not found (Debian package containernetworking-plugins)");
    }
    Clock clock = Clock.SYSTEM;
    Path dir = Files.createTempDirectory("kd-ipam-bench");
    try {
      IpamTimer timer = new IpamTimer(dir.resolve("state"));
      timer.install(Map.of("host-local", HOST_LOCAL));
      Path wrapper = timer.binDir().resolve("host-local");
      String config =
          "{\"cniVersion\": \"1.0.0\", \"name\": \"kd-ipam-bench\", \"ipam\": {\"type\":"
              + " \"host-local\", \"dataDir\": \""
              + dir.resolve("leases")
              + "\", \"ranges\": [[{\"subnet\": \"fd00:63::/64\"}]]}}";
      // the stages' histograms, one recorder a way of running it
      AttachStages direct = AttachStages.recorder();
      AttachStages wrapped = AttachStages.recorder();
      for (int i = 0; i < n; i++) {
        direct.ipam(IpamPlugin.HOST_LOCAL, run(HOST_LOCAL, config, "d" + i, clock));
        wrapped.ipam(IpamPlugin.HOST_LOCAL, run(wrapper, config, "w" + i, clock));
      }
      AttachStages inside = AttachStages.recorder();
      timer.drain(inside);
      Latency d = direct.ipams().get(IpamPlugin.HOST_LOCAL);
      Latency w = wrapped.ipams().get(IpamPlugin.HOST_LOCAL);
      Latency in = inside.ipams().getOrDefault(IpamPlugin.HOST_LOCAL, Latency.NONE);
      System.out.printf(
          "host-local ADD, %d each, alternating, exec to exit (ms):%n"
              + "  direct        p50 %6.2f  p99 %6.2f%n"
              + "  via wrapper   p50 %6.2f  p99 %6.2f%n"
              + "  wrapper's cost: %+.2f ms at the median; the wrapper timed the plugin at p50"
              + " %.2f, p99 %.2f (%d runs)%n",
          n, d.p50(), d.p99(), w.p50(), w.p99(), w.p50() - d.p50(), in.p50(), in.p99(), in.count());
    } finally {
      try (Stream<Path> s = Files.walk(dir)) {
        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** One ADD as a plugin execs its IPAM plugin; nanoseconds from exec to exit. */
  private static long run(Path bin, String config, String id, Clock clock)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(bin.toString()).redirectErrorStream(true);
    pb.environment()
        .putAll(
            Map.of(
                "CNI_COMMAND", "ADD",
                "CNI_CONTAINERID", id,
                "CNI_NETNS", "/proc/self/ns/net",
                "CNI_IFNAME", "net1",
                "CNI_PATH", HOST_LOCAL.getParent().toString()));
    long t0 = clock.monotonicTime();
    Process p = pb.start();
    p.getOutputStream().write(config.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new InfrastructureException("host-local ADD failed: " + out.strip());
    }
    long t = clock.monotonicTime() - t0;
    if (!out.contains("fd00:63::")) {
      throw new InfrastructureException("host-local ADD gave no address: " + out.strip());
    }
    return t;
  }
}
