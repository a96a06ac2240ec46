package io.kdensity.probes.parse;

/** Arithmetic on kernel counters as the kernel keeps them. */
public final class Counters {
  private Counters() {}

  /**
   * The increase of a 32-bit counter from {@code before} to {@code after}, across one wrap: the
   * kernel keeps softnet and conntrack statistics per CPU as {@code unsigned int}, so 0xfffffff0 →
   * 0x10 is +0x20, not a negative number.
   */
  public static long delta32(long before, long after) {
    return (after - before) & 0xffff_ffffL;
  }
}
