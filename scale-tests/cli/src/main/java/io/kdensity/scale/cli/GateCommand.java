package io.kdensity.scale.cli;

import io.kdensity.reports.json.SummaryJson;
import io.kdensity.reports.model.RunSummary;
import io.kdensity.scale.gate.Gate;
import io.kdensity.scale.gate.GateRule;
import io.kdensity.scale.gate.GateRules;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code kdensity gate}: pass a cluster change only if the node still holds the same density. */
@Command(
    name = "gate",
    mixinStandardHelpOptions = true,
    description = {
      "Compare a run's summary.json with a baseline under rules; print a table and write JUnit XML.",
      "Exit codes: 0 pass, 1 regression, 2 bad input (missing, corrupt or other-schema summary or baseline, bad rules)."
    })
public final class GateCommand implements Callable<Integer> {
  @Option(names = "--summary", required = true, description = "summary.json of the run to judge")
  Path summary;

  @Option(names = "--baseline", required = true, description = "baseline (a recorded summary.json)")
  Path baseline;

  @Option(
      names = "--rules",
      description =
          "gate rules (YAML); default: verdict, knee not lower beyond its noise and by more than 10%%, no new finding codes, attach.p99 regression ≤ 20%%")
  Path rules;

  @Option(
      names = "--junit",
      description = "JUnit XML to write. Default: gate-junit.xml next to the summary")
  Path junit;

  @Override
  public Integer call() throws Exception {
    RunSummary now = SummaryJson.read(summary);
    RunSummary base = SummaryJson.read(baseline);
    List<GateRule> r = rules == null ? GateRule.defaults() : GateRules.load(rules);
    Gate.Result res = Gate.evaluate(base, now, r);
    System.out.print(Gate.table(res));
    Path out =
        junit != null ? junit : summary.toAbsolutePath().getParent().resolve("gate-junit.xml");
    Files.writeString(out, Gate.junit(res), StandardCharsets.UTF_8);
    System.out.println("junit xml: " + out);
    return res.passed() ? ExitCodes.PASSED : ExitCodes.SLO_FAILED;
  }
}
