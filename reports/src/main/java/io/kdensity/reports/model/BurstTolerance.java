package io.kdensity.reports.model;

import java.util.List;

/**
 * How many pods the node can take at once at its steady-state capacity: from a node held in steady
 * state at {@code density − burst} pods, {@code burst} pods brought up together (at the target's
 * attach concurrency, as a rollout or a drain lands them) and swept once, without the neighbour
 * tables refusing an entry. Found by bisection on the plan's resolution.
 *
 * @param density the steady-state capacity the bursts end at (the knee's last passing count)
 * @param tolerated the largest burst that refused nothing (0 if even the smallest tried refused)
 * @param overflowed the smallest burst that refused entries, or null if every burst tried fit (the
 *     tolerance is then at least {@code tolerated})
 * @param tries every burst tried, in order
 */
public record BurstTolerance(int density, int tolerated, Integer overflowed, List<Try> tries) {
  public BurstTolerance {
    tries = List.copyOf(tries);
  }

  /**
   * One burst.
   *
   * @param from the pods held in steady state before it
   * @param burst the pods brought up at once
   * @param refused neighbour entries the tables refused from the last look before the burst to the
   *     end of its first sweep
   */
  public record Try(int from, int burst, long refused) {}
}
