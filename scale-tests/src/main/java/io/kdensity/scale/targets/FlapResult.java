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

  /** Nothing flapped, for the reason given. */
  public static FlapResult none(int asked, String why) {
    return new FlapResult(asked, 0, Set.of(), asked == 0 ? List.of() : List.of(why));
  }
}
