package io.kdensity.scale.targets;

import java.util.ArrayList;
import java.util.List;

/**
 * Who a member of a network exchanges with when a plan asks for {@code peers}: the next {@code k}
 * members in order, wrapping around (never itself), so every member has {@code k} peers it contacts
 * and is contacted by {@code k} others. The same ring on every target.
 */
public final class PeerRing {
  private PeerRing() {}

  /** The peers of {@code members.get(index)}: at most {@code k}, at most everyone else. */
  public static <T> List<T> peersOf(List<T> members, int index, int k) {
    int n = Math.min(k, members.size() - 1);
    List<T> out = new ArrayList<>(Math.max(0, n));
    for (int i = 1; i <= n; i++) {
      out.add(members.get((index + i) % members.size()));
    }
    return out;
  }
}
