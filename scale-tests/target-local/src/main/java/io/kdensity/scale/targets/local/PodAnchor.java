package io.kdensity.scale.targets.local;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.RunningProcess;
import io.kdensity.probes.sysctl.Sysctl;
import io.kdensity.scale.targets.InfrastructureException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a pod's anchor process inside its namespace, like Kubernetes' pause container: it first
 * sets the pod's sysctls (before any interface exists, so {@code default.*} applies to them) and
 * then sleeps. The script is a constant; sysctl paths and values are its arguments, never part of
 * it, so nothing from a profile can become shell code.
 */
final class PodAnchor {
  /**
   * Shell code that writes each (path, value) pair of its arguments, one value per file, and exits
   * 1 at the first that cannot be written. A constant: paths and values are arguments, never code.
   */
  static final String WRITE_PAIRS =
      "while [ $# -ge 2 ]; do printf '%s\\n' \"$2\" > \"$1\" || exit 1; shift 2; done";

  /**
   * Writes each (path, value) pair it is given, then says ready and sleeps with its output on
   * /dev/null, so this process keeps no pipe of it open.
   */
  static final String SCRIPT = WRITE_PAIRS + "; echo ready; exec sleep 2147483647 >/dev/null 2>&1";

  private PodAnchor() {}

  /**
   * @param pod the pod's namespace
   * @param sysctls pod sysctls (validated keys) and their values
   * @throws InfrastructureException if the anchor does not start or a sysctl cannot be written
   */
  static RunningProcess start(NetnsShell pod, Map<String, String> sysctls) {
    List<String> argv = new ArrayList<>(List.of("sh", "-c", SCRIPT, "anchor"));
    sysctls.forEach(
        (k, v) -> {
          argv.add(new Sysctl(k).path());
          argv.add(v);
        });
    RunningProcess p = pod.start(Command.of(argv));
    String line = p.readLine();
    if ("ready".equals(line)) {
      // it now sleeps with its output on /dev/null: read to the end so both pipes are closed
      p.readLine();
    }
    if (!"ready".equals(line)) {
      p.waitFor(Duration.ofSeconds(2));
      String why = p.stderr().strip();
      p.close();
      throw new InfrastructureException(
          "cannot start the anchor process of "
              + pod.name()
              + ": "
              + (why.isEmpty() ? String.valueOf(line) : why));
    }
    return p;
  }
}
