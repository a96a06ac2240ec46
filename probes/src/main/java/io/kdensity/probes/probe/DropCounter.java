package io.kdensity.probes.probe;

import java.util.Map;

/**
 * Counts the packets the node's kernel dropped, by the kernel's own reason ({@code enum
 * skb_drop_reason}, reported by the {@code skb:kfree_skb} tracepoint since Linux 5.17). Each read
 * returns the counts since the counter was opened.
 */
public interface DropCounter extends NodeSource {

  /** No drops are counted on this target. */
  DropCounter NONE = unavailable("the kernel's drop reasons are counted on the local target only");

  /** A counter that counts nothing, for the reason given (shown in the report's notes). */
  static DropCounter unavailable(String why) {
    return new DropCounter() {
      @Override
      public Drops read() {
        throw new UnsupportedOperationException(why);
      }

      @Override
      public boolean available() {
        return false;
      }

      @Override
      public String why() {
        return why;
      }
    };
  }

  /**
   * The drops since the counter was opened.
   *
   * @throws io.kdensity.probes.shell.ShellException if the counts cannot be read
   */
  Drops read();

  /**
   * Packets dropped since the counter was opened.
   *
   * @param total every drop, whatever its reason
   * @param byReason drops of each reason the counter counts, by the kernel's name without its
   *     prefix ({@code CPU_BACKLOG} for {@code SKB_DROP_REASON_CPU_BACKLOG})
   */
  record Drops(long total, Map<String, Long> byReason) {
    public Drops {
      if (total < 0) {
        throw new IllegalArgumentException("negative drop count " + total);
      }
      byReason = Map.copyOf(byReason);
    }
  }
}
