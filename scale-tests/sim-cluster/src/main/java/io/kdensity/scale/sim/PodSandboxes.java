package io.kdensity.scale.sim;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.RunningProcess;
import io.kdensity.probes.sysctl.Sysctl;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.local.EmbeddedNode;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The container runtime's sandboxes (containerd's {@code RunPodSandbox}/{@code StopPodSandbox}
 * without the images): a network namespace per pod incarnation on the embedded node, with a process
 * whose command line is exactly {@code /pause} — what the pause image runs — inside it and inside
 * the pod's cgroup, after the pod's sysctls are written (the runtime sets them before any interface
 * exists).
 */
final class PodSandboxes {
  /**
   * Writes each (path, value) pair, joins the cgroup ({@code $1} is its cgroup.procs), says ready,
   * and becomes {@code /pause}: {@code cat} on a FIFO it holds open for writing too, so it blocks
   * for ever on no data. A constant: paths and values are arguments, never code.
   */
  static final String PAUSE =
      "procs=$1; fifo=$2; shift 2; "
          + "while [ $# -ge 2 ]; do printf '%s\\n' \"$2\" > \"$1\" || exit 1; shift 2; done; "
          + "echo $$ > \"$procs\" || exit 1; echo ready; "
          + "exec -a /pause cat <> \"$fifo\" >/dev/null 2>&1";

  private final EmbeddedNode node;
  private final PodCgroups cgroups;
  private final Path fifo;
  private final AtomicLong seq = new AtomicLong();
  private final SecureRandom random = new SecureRandom();

  PodSandboxes(EmbeddedNode node, PodCgroups cgroups, Path fifo) {
    this.node = node;
    this.cgroups = cgroups;
    this.fifo = fifo;
  }

  /**
   * Creates pod {@code uid}'s sandbox.
   *
   * @param sysctls the pod's sysctls (validated keys)
   * @throws InfrastructureException if the sandbox cannot be made (nothing of it is left)
   */
  Sandbox create(String uid, Map<String, String> sysctls) {
    String netns = node.names().sandbox(seq.incrementAndGet());
    byte[] b = new byte[32];
    random.nextBytes(b);
    String id = HexFormat.of().formatHex(b);
    node.addNamespaces(List.of(netns));
    List<String> argv =
        new ArrayList<>(
            List.of(
                "bash", "-c", PAUSE, "pause", cgroups.procsOf(uid).toString(), fifo.toString()));
    sysctls.forEach(
        (k, v) -> {
          argv.add(new Sysctl(k).path());
          argv.add(v);
        });
    RunningProcess p = new NetnsShell(netns, node.host()).start(Command.of(argv));
    String line = p.readLine();
    if (!"ready".equals(line)) {
      p.waitFor(Duration.ofSeconds(2));
      String why = p.stderr().strip();
      p.close();
      node.deleteNamespaces(List.of(netns));
      cgroups.remove(uid);
      throw new InfrastructureException(
          "failed to create the sandbox: " + (why.isEmpty() ? String.valueOf(line) : why));
    }
    p.readLine(); // its output now goes to /dev/null: read to the end, so the pipe closes
    return new Sandbox(id, netns, uid, p);
  }

  /**
   * Stops a sandbox: the pause process, then the namespace; waits until the kernel freed the node
   * side of its links.
   */
  void remove(Sandbox s, Set<String> nodeLinks) {
    s.pause().close();
    node.deleteNamespaces(List.of(s.netns()));
    node.awaitLinksGone(nodeLinks, Duration.ofMinutes(2));
    cgroups.remove(s.podUid());
  }
}
