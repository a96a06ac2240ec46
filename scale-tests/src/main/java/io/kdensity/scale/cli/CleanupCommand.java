package io.kdensity.scale.cli;

import io.kdensity.probes.shell.LocalShell;
import io.kdensity.scale.targets.local.LocalCleanup;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kdensity cleanup}: removes what crashed runs left behind, and nothing else. */
@Command(
    name = "cleanup",
    mixinStandardHelpOptions = true,
    description = {
      "Remove leftovers of crashed local runs: processes in kd-<runid>-* namespaces, those namespaces, kd-<runid>-* links.",
      "Touches nothing that kdensity did not name. Waits until the kernel has freed them."
    })
public final class CleanupCommand implements Callable<Integer> {
  @Option(names = "--run", description = "Only this run id (6 characters).")
  String run;

  @Option(
      names = "--kube",
      description =
          "Clean a cluster instead: delete every namespace labelled app.kubernetes.io/managed-by=kdensity.")
  boolean kube;

  @Option(names = "--context", description = "kubeconfig context (with --kube).")
  String context;

  @Option(names = "--kubeconfig", description = "kubeconfig file (with --kube).")
  String kubeconfig;

  @Override
  public Integer call() {
    if (kube) {
      var spec =
          new io.kdensity.scale.plan.TargetSpec.Kube(kubeconfig, context, "", "", 50, 100, 16, 300);
      try (var client = io.kdensity.scale.targets.kube.KubeTargets.client(spec)) {
        var removed =
            io.kdensity.scale.targets.kube.KubeCleanup.removeAll(
                client, java.time.Duration.ofMinutes(10));
        System.out.printf("removed %d kdensity namespaces%n", removed.size());
        removed.forEach(n -> System.out.println("  namespace " + n));
      }
      return ExitCodes.PASSED;
    }
    LocalCleanup c = new LocalCleanup(new LocalShell());
    LocalCleanup.Report r = run == null ? c.removeAll() : c.removeRun(run);
    System.out.printf(
        "removed %d namespaces, %d links, killed %d processes%n",
        r.namespaces().size(), r.links().size(), r.processes());
    r.namespaces().stream().sorted().limit(10).forEach(n -> System.out.println("  netns " + n));
    if (r.namespaces().size() > 10) {
      System.out.println("  … and " + (r.namespaces().size() - 10) + " more");
    }
    r.links().forEach(n -> System.out.println("  link " + n));
    return ExitCodes.PASSED;
  }
}
