package io.kdensity.probes.neigh;

import java.time.Duration;
import java.util.Set;

/**
 * How the kernel's forced GC sees a neighbour entry when the table is full ({@code
 * neigh_forced_gc}, net/core/neighbour.c). A new entry is refused only when the entries counted
 * against {@code gc_thresh3} reach it and forced GC frees none, so the entries it cannot remove are
 * what a density really needs of the table.
 *
 * <p>The entry's reference count is not visible from user space: an entry that only a route or a
 * queued packet holds is {@link #REMOVABLE} here although the kernel skips it.
 */
public enum GcHold {
  /** Left out of the gc_thresh accounting: permanent, externally learned, loopback. */
  EXEMPT,
  /**
   * Forced GC cannot remove it: a pending timer holds a reference (INCOMPLETE, REACHABLE, DELAY,
   * PROBE: {@code neigh_add_timer}), or it is a unicast entry updated less than {@link #GRACE} ago.
   */
  PINNED,
  /** Forced GC removes it: FAILED, NOARP, a multicast address at any age, or idle for the grace. */
  REMOVABLE;

  /** Forced GC leaves an unreferenced unicast entry alone this long after its last update. */
  public static final Duration GRACE = Duration.ofSeconds(5);

  /** The states whose timer holds the entry ({@code NUD_IN_TIMER}). */
  static final Set<String> TIMER_STATES = Set.of("INCOMPLETE", "REACHABLE", "DELAY", "PROBE");

  /**
   * The entry as forced GC sees it; an entry read without its age ({@code ip} without {@code -s})
   * and in no timer state counts as removable.
   */
  public static GcHold of(NeighEntry e) {
    if (e.exemptFromGc()) {
      return EXEMPT;
    }
    if (e.state().stream().anyMatch(TIMER_STATES::contains)) {
      return PINNED;
    }
    if (e.state().contains("FAILED") || e.state().contains("NOARP") || e.multicast()) {
      return REMOVABLE;
    }
    return e.sinceUpdate() != null && e.sinceUpdate().compareTo(GRACE) < 0 ? PINNED : REMOVABLE;
  }
}
