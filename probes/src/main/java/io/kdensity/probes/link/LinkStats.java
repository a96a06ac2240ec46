package io.kdensity.probes.link;

/** Packet counters of one link ({@code stats64}). */
public record LinkStats(
    long rxPackets,
    long rxBytes,
    long rxErrors,
    long rxDropped,
    long txPackets,
    long txBytes,
    long txErrors,
    long txDropped) {
  public static final LinkStats ZERO = new LinkStats(0, 0, 0, 0, 0, 0, 0, 0);
}
