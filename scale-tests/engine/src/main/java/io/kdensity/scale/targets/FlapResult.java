package io.kdensity.scale.targets;

import java.util.List;
import java.util.Set;

/**
 * What a link flap did: which pods' interfaces lost their carrier for a moment, and why the rest
 * could not.
 *
 * @param asked interfaces the window asked to flap
 * @param flapped interfaces whose carrier went down and up again
 * @param pods the pods of the flapped interfaces (their addresses run DAD again: settle them)
 * @param notes why fewer than asked were flapped, if so
 */
public record FlapResult(int asked, int flapped, Set<String> pods, List<String> notes) {
  public FlapResult {
    pods = Set.copyOf(pods);
    notes = List.copyOf(notes);
  }

  /** Which pod interfaces can flap, and why no others: the note when fewer could than asked. */
  public static final String ONLY_BRIDGE_PORTS =
      "only bridge networks' interfaces can lose their carrier alone (a macvlan's follows its"
          + " uplink; a ptp peer carries the node's route to the pod, deleted when it goes down)";

  /** The note of a window that asked for more flaps than there are {@code candidates}. */
  public static String fewerCandidates(int candidates) {
    return "only " + candidates + " pod interfaces can flap: " + ONLY_BRIDGE_PORTS;
  }

  /** Nothing flapped, for the reason given. */
  public static FlapResult none(int asked, String why) {
    return new FlapResult(asked, 0, Set.of(), asked == 0 ? List.of() : List.of(why));
  }
}
