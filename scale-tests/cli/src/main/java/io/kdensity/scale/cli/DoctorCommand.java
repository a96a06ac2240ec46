package io.kdensity.scale.cli;

import io.kdensity.config.yaml.ConfigException;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.plan.TargetSpec;
import io.kdensity.scale.targets.InfrastructureException;
import io.kdensity.scale.targets.kube.KubeDoctor;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kdensity doctor --kube}: one canary pod through the whole cluster path, then a bundle. */
@Command(
    name = "doctor",
    mixinStandardHelpOptions = true,
    description = {
      "Walk the cluster path once before the first ramp on a cluster: preflight (read-only), the"
          + " probe DaemonSet, exec without and with stdin, one canary pod on the plan's first"
          + " network and its network-status, each probe once, its pings, the teardown.",
      "Then write a redacted fixture bundle (every exec with the node's answer, the API objects"
          + " read, the checks) into --out, for tests and bug reports.",
      "  KDENSITY_NODE=worker-3 KDENSITY_MASTER=ens5f0 ./kdensity doctor --kube \\",
      "    --plan scale-tests/plans/cluster-smoke.yaml --out doctor-bundle",
      "Exit 0: every check passed; 3: a check failed (named, with why); 2: bad plan."
    })
public final class DoctorCommand implements Callable<Integer> {
  @Option(
      names = "--kube",
      required = true,
      description = "Check the cluster path of a kube plan (the only doctor so far).")
  boolean kube;

  @Option(
      names = "--plan",
      description = "A cluster plan (target.type kube). Default: ${DEFAULT-VALUE}",
      defaultValue = "${sys:kdensity.home:-.}/scale-tests/plans/cluster-smoke.yaml")
  Path plan;

  @Option(
      names = "--out",
      description = "Folder for the fixture bundle. Default: ${DEFAULT-VALUE}",
      defaultValue = "doctor-bundle")
  Path out;

  @Override
  public Integer call() {
    Plan p;
    try {
      p = PlanLoader.load(plan);
    } catch (ConfigException e) {
      System.err.println("kdensity: bad input, nothing was created:\n" + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    if (p.target().type() != TargetSpec.Type.KUBE) {
      System.err.println(
          "kdensity: "
              + plan
              + ": doctor --kube needs a cluster plan (target.type: kube), this one targets "
              + p.target().type().name().toLowerCase(java.util.Locale.ROOT));
      return ExitCodes.BAD_INPUT;
    }
    System.out.println(
        "[kdensity] doctor: one canary pod on node "
            + p.target().node()
            + " (plan "
            + p.name()
            + ")");
    KubeDoctor.Result r;
    try {
      r =
          KubeDoctor.run(
              p,
              out,
              Clock.SYSTEM,
              c ->
                  System.out.printf(
                      "[kdensity]   %-18s %s  %s (%d ms)%n",
                      c.name(), c.ok() ? "ok  " : "FAIL", c.detail(), c.millis()));
    } catch (InfrastructureException e) {
      System.err.println("kdensity: " + e.getMessage());
      return ExitCodes.INFRASTRUCTURE;
    }
    System.out.println("bundle:          " + r.bundle().toAbsolutePath());
    if (!r.ok()) {
      System.err.println(
          "kdensity: doctor found a problem: "
              + r.checks().stream()
                  .filter(c -> !c.ok())
                  .findFirst()
                  .map(c -> c.name() + ": " + c.detail())
                  .orElse("?"));
      return ExitCodes.INFRASTRUCTURE;
    }
    System.out.println("doctor: every check passed; the cluster path is ready for a ramp");
    return ExitCodes.PASSED;
  }
}
