package io.kdensity.scale.engine;

import io.kdensity.probes.probe.PodView;
import io.kdensity.probes.probe.ProbeRunner;
import io.kdensity.probes.probe.ProbeScope;
import io.kdensity.probes.probe.Sweep;
import io.kdensity.reports.model.BurstTolerance;
import io.kdensity.scale.plan.Plan;
import io.kdensity.scale.targets.Target;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

/**
 * Finds the burst tolerance at a steady-state capacity: the most pods that can be brought up at
 * once to it, from a node held in steady state below it, before the neighbour tables refuse an
 * entry ({@link BurstTolerance}). Bursts are bisected on the plan's resolution; the table refuses
 * more the more pods are held when a burst lands, so each burst starts from a node held in steady
 * state.
 */
final class BurstSearch {
  private final Plan plan;
  private final Target target;
  private final ProbeRunner probes;
  private final Progress progress;
  private final Optional<KernelCleanupWait> kernelCleanup;
  private final SteadyHold hold;
  private final Settle settle;

  BurstSearch(
      Plan plan,
      Target target,
      ProbeRunner probes,
      Progress progress,
      Optional<KernelCleanupWait> kernelCleanup,
      SteadyHold hold,
      Settle settle) {
    this.plan = plan;
    this.target = target;
    this.probes = probes;
    this.progress = progress;
    this.kernelCleanup = kernelCleanup;
    this.hold = hold;
    this.settle = settle;
  }

  /**
   * The burst tolerance at {@code density} pods, each burst from a node held for {@code length}.
   */
  BurstTolerance at(int density, Duration length) {
    List<BurstTolerance.Try> tries = new ArrayList<>();
    IntPredicate tolerated =
        burst -> {
          BurstTolerance.Try t = tryBurst(density, burst, length);
          tries.add(t);
          progress.step(
              String.format(
                  "burst tolerance at %,d pods: %,d pods at once from %,d held %d s: %s",
                  density,
                  burst,
                  t.from(),
                  length.toSeconds(),
                  t.refused() == 0
                      ? "no entry refused"
                      : String.format(
                          "%,d %s refused", t.refused(), t.refused() == 1 ? "entry" : "entries")));
          return t.refused() == 0;
        };
    Bounds b = search(density, plan.bisect().resolution(), tolerated);
    return new BurstTolerance(density, b.tolerated(), b.overflowed(), tries);
  }

  /**
   * The largest tolerated burst and the smallest refused one, on the {@code resolution} grid.
   *
   * @param overflowed null when every burst tried fit (the tolerance is at least {@code tolerated})
   */
  record Bounds(int tolerated, Integer overflowed) {}

  /**
   * Bisects bursts between none and the whole density, without trying the whole density: from an
   * empty node nothing is held, so it is no burst onto a node in steady state.
   */
  static Bounds search(int density, int resolution, IntPredicate tolerated) {
    int lo = 0;
    int hi = density;
    boolean refused = false;
    while (hi - lo > resolution) {
      int mid = lo + Math.max(resolution, (hi - lo) / 2 / resolution * resolution);
      if (mid >= hi) {
        break;
      }
      if (tolerated.test(mid)) {
        lo = mid;
      } else {
        hi = mid;
        refused = true;
      }
    }
    return new Bounds(lo, refused ? hi : null);
  }

  /**
   * Brings the node to {@code density − burst} pods, holds it in steady state, then brings up
   * {@code burst} pods at once and sweeps once: the entries refused from the look before to the
   * look after.
   */
  private BurstTolerance.Try tryBurst(int density, int burst, Duration length) {
    int from = density - burst;
    String head = String.format("burst of %,d pods from %,d", burst, from);
    progress.phase(head + ": scaling to " + from + " pods");
    int had = target.pods();
    target.scaleTo(from);
    if (from < had) {
      kernelCleanup.ifPresent(k -> k.awaitIdle("the " + head));
    }
    // every burst starts below the pods the node holds (the knee's step or the last burst's
    // density): scaling down makes no new address to wait for
    hold.hold(head, length);
    ProbeScope held = target.scope();
    Set<String> old = held.pods().stream().map(PodView::name).collect(Collectors.toSet());
    Sweep before = probes.snapshot(held);
    progress.phase(head + ": bringing up " + burst + " pods at once");
    target.scaleTo(density);
    ProbeScope all = target.scope();
    List<PodView> created = all.pods().stream().filter(p -> !old.contains(p.name())).toList();
    settle.await(all.withPods(created), plan.settle());
    progress.phase(head + ": one sweep");
    target.traffic(plan.traffic(), plan.hold());
    Sweep after = probes.snapshot(all);
    return new BurstTolerance.Try(
        from, burst, BringUpCounter.NEIGHBOUR_REFUSED.between(before, after));
  }
}
