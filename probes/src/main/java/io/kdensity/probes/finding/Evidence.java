package io.kdensity.probes.finding;

import java.util.Objects;

/**
 * One piece of evidence: a counter before and after the step, and the raw line it came from.
 *
 * @param what what was measured, e.g. {@code ndisc_cache table_fulls}
 * @param before value at the start of the step, or {@code null} if not a counter
 * @param after value at the end of the step, or {@code null}
 * @param raw the raw line or value as the kernel or tool printed it (may be empty)
 */
public record Evidence(String what, Long before, Long after, String raw) {
  public Evidence {
    Objects.requireNonNull(what, "what");
    raw = raw == null ? "" : raw;
  }

  /** A counter that moved from {@code before} to {@code after}. */
  public static Evidence counter(String what, long before, long after) {
    return new Evidence(what, before, after, "");
  }

  /** A counter that moved, with the raw line it was read from. */
  public static Evidence counter(String what, long before, long after, String raw) {
    return new Evidence(what, before, after, raw);
  }

  /** A single observed value, e.g. the state of an address. */
  public static Evidence observed(String what, String raw) {
    return new Evidence(what, null, null, raw);
  }

  /** {@code after - before}, or 0 if this is not a counter. */
  public long delta() {
    return before == null || after == null ? 0 : after - before;
  }

  @Override
  public String toString() {
    if (before != null && after != null) {
      return what + " " + before + " → " + after + (raw.isEmpty() ? "" : " (" + raw + ")");
    }
    return what + ": " + raw;
  }
}
