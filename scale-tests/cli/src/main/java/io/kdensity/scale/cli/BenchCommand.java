package io.kdensity.scale.cli;

import io.kdensity.scale.bench.AttachBench;
import io.kdensity.scale.bench.AttachStagesBench;
import io.kdensity.scale.bench.IpamWrapperBench;
import io.kdensity.scale.bench.ProbeSweepBench;
import io.kdensity.scale.bench.RampFigures;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code kdensity bench probe-sweep|attach|attach-stages|ipam-wrapper|ramp-figures ARGS}: the
 * benchmarks of docs/performance.md.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmarks (root): probe-sweep [PODS] [IFS] [REPEATS] — all probes over PODS×IFS interfaces vs a shell loop of `ip -n NS -j addr`;",
      "attach [PODS_WITH_DAD] [PODS_WITHOUT_DAD] [CONCURRENCY] — attach throughput vs a shell loop calling the same CNI plugins;",
      "attach-stages [CONCURRENCY] [PODS...] — the attach's stages per CNI plugin (macvlan, bridge, ipvlan; host-local vs static IPAM; DAD on/off) on a fresh node per case, default 16 at a time at 100 and 400 pods;",
      "ipam-wrapper [N] — what timing the IPAM stage costs an ADD: host-local run N times directly and N times through the wrapper that times it, default 500;",
      "ramp-figures SUMMARY [MIN_INTERFACES] — a finished ramp's figures from its summary.json: harness overhead per step (at steps of at least MIN_INTERFACES, default 10000) and attach throughput against its CPU limit."
    })
public final class BenchCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      description = "probe-sweep, attach, attach-stages, ipam-wrapper or ramp-figures")
  String which;

  @Parameters(index = "1..*", description = "arguments of the benchmark")
  List<String> args = List.of();

  @Override
  public Integer call() throws Exception {
    String[] a = args.toArray(String[]::new);
    switch (which) {
      case "probe-sweep" -> ProbeSweepBench.main(a);
      case "attach" -> AttachBench.main(a);
      case "attach-stages" -> AttachStagesBench.main(a);
      case "ipam-wrapper" -> IpamWrapperBench.main(a);
      case "ramp-figures" -> RampFigures.main(a);
      default ->
          throw new UsageError(
              "unknown benchmark '"
                  + which
                  + "' (probe-sweep, attach, attach-stages, ipam-wrapper, ramp-figures)");
    }
    return 0;
  }
}
