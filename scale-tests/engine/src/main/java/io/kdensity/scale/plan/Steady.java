package io.kdensity.scale.plan;

import java.time.Duration;

/**
 * A steady-state ramp ({@code steady:} in a plan, {@code ramp --steady}): the density the node
 * holds once a step's bring-up transients are gone, and how many pods it can take at once there.
 *
 * <p>A step runs as in any ramp; one that fails is held with its traffic running for {@code hold}
 * and measured again, and the second measurement is its verdict. A step that passes with the
 * bring-up's entries still in the tables passes without them too: the steady sweep pins the same
 * entries toward gateways and peers, without the bring-up's.
 *
 * @param enabled off by default: a plain ramp answers with the first step that failed at once
 * @param hold how long a failing step is held before it is measured again; {@link Duration#ZERO}
 *     means one REACHABLE lifetime of the node's neighbour tables and forced GC's grace (1.5 ×
 *     {@code base_reachable_time} + 5 s: 50 s at kernel defaults)
 * @param burst after the knee, find how many pods can be brought up at once to the steady-state
 *     capacity without the neighbour tables refusing an entry
 */
public record Steady(boolean enabled, Duration hold, boolean burst) {
  /** A plain ramp. */
  public static final Steady OFF = new Steady(false, Duration.ZERO, true);

  /** The same with {@code enabled} set (from {@code --steady}). */
  public Steady on() {
    return new Steady(true, hold, burst);
  }
}
