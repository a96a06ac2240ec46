package io.kdensity.scale.targets.local;

import io.kdensity.probes.probe.NodeFacts;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.plan.PlanLoader;
import io.kdensity.scale.targets.Target;
import io.kdensity.scale.targets.TargetContract;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;

/** The Target contract for the local target, on this machine's kernel (the smoke plan). */
@Tag("kernel")
class LocalTargetContractIT extends TargetContract {
  private final LocalShell host = new LocalShell();
  private final LocalNames names = LocalNames.random();

  @AfterEach
  void noLeftovers() {
    new LocalCleanup(host).removeRun(names.runId());
  }

  @Override
  protected Plan plan() {
    return PlanLoader.load(Path.of("plans/smoke.yaml"));
  }

  @Override
  protected Target newTarget(Plan plan) {
    return new LocalTarget(plan, names, host, NodeFacts.UNKNOWN, Clock.SYSTEM);
  }

  /** The run's namespaces, root-namespace links and trace instance, as the kernel has them. */
  @Override
  protected List<String> leftovers(Target t) {
    return new LocalCleanup(host).runsPresent().contains(names.runId())
        ? List.of("namespaces, links or the trace instance of " + names.prefix() + "*")
        : List.of();
  }
}
