package io.kdensity.scale.bench;

import io.kdensity.probes.node.LocalNodeFacts;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.ScaleResult;
import io.kdensity.scale.targets.local.LocalCleanup;
import io.kdensity.scale.targets.local.LocalNames;
import io.kdensity.scale.targets.local.LocalTarget;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Attach throughput of the local target (real CNI plugins, pods in parallel) against a naive shell
 * loop that calls the same plugins one interface at a time, measured in the same run on the same
 * kind of topology: per pod {@code eth0} by ptp and {@code net1} by macvlan, host-local IPv6 IPAM.
 */
public final class AttachBench {
  private final Clock clock = Clock.SYSTEM;
  private final LocalShell host = new LocalShell(clock);

  static String plan(int concurrency) {
    return String.join(
        "\n",
        "name: attach-bench",
        "target: {type: local, local: {uplinks: 1, attachConcurrency: " + concurrency + "}}",
        "attachments:",
        "  - name: bench-a",
        "    config: {type: macvlan, master: uplink0, mode: bridge, ipam: {type: host-local, ranges: [[{subnet: 'fd00:60:1::/64'}]]}}",
        "ramp: {steps: [1]}",
        "");
  }

  /** Interfaces per second of kdensity's attach. */
  double kdensity(int pods, int concurrency, boolean dad) {
    Plan plan = PlanLoader.parse(plan(concurrency), "attach-bench");
    try (LocalTarget t =
        new LocalTarget(plan, LocalNames.random(), host, LocalNodeFacts.collect(), clock)) {
      t.preflight();
      t.setUp();
      if (!dad) {
        t.setPodSysctls(
            Map.of("net.ipv6.conf.all.accept_dad", "0", "net.ipv6.conf.default.accept_dad", "0"));
      }
      long t0 = clock.monotonicTime();
      ScaleResult r = t.scaleTo(pods);
      double s = (clock.monotonicTime() - t0) / 1e9;
      if (!r.findings().isEmpty()) {
        throw new InfrastructureException("attach failed: " + r.findings());
      }
      return r.interfaces() / s;
    }
  }

  /** Interfaces per second of a bash loop calling the same plugins one interface at a time. */
  double naive(int pods, boolean dad) throws Exception {
    LocalNames n = LocalNames.random();
    Path dir = Files.createTempDirectory("kd-naive-");
    try {
      String node = n.node();
      StringBuilder setup = new StringBuilder();
      setup
          .append("netns add ")
          .append(node)
          .append('\n')
          .append("netns add ")
          .append(n.fabric())
          .append('\n');
      setup
          .append("link add ")
          .append(n.uplink(0))
          .append(" netns ")
          .append(node)
          .append(" type veth peer name ")
          .append(n.switchPort(0))
          .append(" netns ")
          .append(n.fabric())
          .append('\n');
      for (int p = 1; p <= pods; p++) {
        setup.append("netns add ").append(n.pod(p)).append('\n');
      }
      host.run(
              Command.of("ip", "-batch", "-")
                  .withStdin(setup.toString())
                  .withTimeout(Duration.ofMinutes(5)))
          .requireSuccess();
      // the topology kdensity's target builds (LocalTopology): a forwarding node, a quiet fabric
      // whose switch bridge holds the uplink's far end, up — with that end down, the macvlans
      // never get carrier, their DAD never finishes and every ADD waits out the plugin's timeout
      host.run(
              Command.of(
                  "ip",
                  "netns",
                  "exec",
                  n.fabric(),
                  "sh",
                  "-c",
                  "for i in default "
                      + n.switchPort(0)
                      + "; do"
                      + " echo 0 > /proc/sys/net/ipv6/conf/$i/accept_ra;"
                      + " echo 1 > /proc/sys/net/ipv6/conf/$i/addr_gen_mode; done"))
          .requireSuccess();
      host.run(
              Command.of("ip", "-n", n.fabric(), "-batch", "-")
                  .withStdin(
                      "link set lo up\nlink add "
                          + n.tor(0)
                          + " type bridge\nlink set "
                          + n.switchPort(0)
                          + " master "
                          + n.tor(0)
                          + " up\nlink set "
                          + n.tor(0)
                          + " up\naddr add fd00:61:1::1/64 dev "
                          + n.tor(0)
                          + " nodad\n"))
          .requireSuccess();
      host.run(
              Command.of(
                  "ip",
                  "netns",
                  "exec",
                  node,
                  "sh",
                  "-c",
                  "echo 1 > /proc/sys/net/ipv6/conf/all/forwarding;"
                      + " echo 1 > /proc/sys/net/ipv4/ip_forward"))
          .requireSuccess();
      host.run(
              Command.of("ip", "-n", node, "-batch", "-")
                  .withStdin("link set lo up\nlink set " + n.uplink(0) + " up\n"))
          .requireSuccess();
      if (!dad) {
        for (int p = 1; p <= pods; p++) {
          host.run(
                  Command.of(
                      "ip",
                      "netns",
                      "exec",
                      n.pod(p),
                      "sh",
                      "-c",
                      "echo 0 > /proc/sys/net/ipv6/conf/all/accept_dad; echo 0 > /proc/sys/net/ipv6/conf/default/accept_dad"))
              .requireSuccess();
        }
      }
      Files.writeString(
          dir.resolve("ptp.json"),
          "{\"cniVersion\":\"1.0.0\",\"name\":\"naive-ptp\",\"type\":\"ptp\",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
              + dir
              + "/ipam\",\"ranges\":[[{\"subnet\":\"fd00:61::/64\"}]]}}");
      Files.writeString(
          dir.resolve("macvlan.json"),
          "{\"cniVersion\":\"1.0.0\",\"name\":\"naive-mv\",\"type\":\"macvlan\",\"master\":\""
              + n.uplink(0)
              + "\",\"mode\":\"bridge\",\"ipam\":{\"type\":\"host-local\",\"dataDir\":\""
              + dir
              + "/ipam\",\"ranges\":[[{\"subnet\":\"fd00:61:1::/64\"}]]}}");
      String cni =
          Files.isExecutable(Path.of("/usr/lib/cni/ptp")) ? "/usr/lib/cni" : "/opt/cni/bin";
      String loop =
          "set -e; for i in $(seq -f %05g 1 "
              + pods
              + "); do ns="
              + n.prefix()
              + "p$i; "
              + "CNI_COMMAND=ADD CNI_CONTAINERID=$ns CNI_NETNS=/run/netns/$ns CNI_IFNAME=eth0 CNI_PATH="
              + cni
              + " nsenter --net=/run/netns/"
              + node
              + " "
              + cni
              + "/ptp < "
              + dir
              + "/ptp.json > /dev/null; "
              + "CNI_COMMAND=ADD CNI_CONTAINERID=$ns CNI_NETNS=/run/netns/$ns CNI_IFNAME=net1 CNI_PATH="
              + cni
              + " nsenter --net=/run/netns/"
              + node
              + " "
              + cni
              + "/macvlan < "
              + dir
              + "/macvlan.json > /dev/null; done";
      long t0 = clock.monotonicTime();
      CommandResult r = host.run(Command.of("bash", "-c", loop).withTimeout(Duration.ofHours(1)));
      double s = (clock.monotonicTime() - t0) / 1e9;
      r.requireSuccess();
      return 2 * pods / s;
    } finally {
      new LocalCleanup(host).removeRun(n.runId());
      host.run(Command.of("rm", "-rf", dir.toString()));
    }
  }

  /**
   * {@code podsWithDad podsWithoutDad concurrency}: with DAD each attach waits 1-2 s, so the naive
   * loop gets fewer pods there.
   */
  public static void main(String[] args) throws Exception {
    int withDad = args.length > 0 ? Integer.parseInt(args[0]) : 30;
    int withoutDad = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int conc = args.length > 2 ? Integer.parseInt(args[2]) : 16;
    AttachBench b = new AttachBench();
    for (boolean dad : new boolean[] {true, false}) {
      int pods = dad ? withDad : withoutDad;
      String label = dad ? "DAD on (stock pods)" : "DAD off in pods (dense-ipv6)";
      System.err.printf(
          "[bench] %s: naive loop, %d pods × (ptp eth0 + macvlan net1)...%n", label, pods);
      double naive = b.naive(pods, dad);
      System.err.printf("[bench] %s: kdensity, concurrency %d...%n", label, conc);
      double ours = b.kdensity(pods, conc, dad);
      System.out.printf(
          "attach, %s, %d interfaces: naive shell loop %.1f interfaces/s (%.0f ms each), kdensity %.1f interfaces/s: %.1fx%n",
          label, 2 * pods, naive, 1000 / naive, ours, ours / naive);
    }
  }
}
