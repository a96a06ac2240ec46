package io.kdensity.scale.run;

import io.kdensity.scale.engine.Progress;
import io.kdensity.tuning.apply.ProfileApplier;
import io.kdensity.tuning.profile.Profile;

/** What applying and reverting a profile prints: each setting's old → new value, and its advice. */
final class ProfileProgress {
  private ProfileProgress() {}

  /** "apply 2/5: net.core.rmem_max 212992 → 16777216", the other way round for a revert. */
  static ProfileApplier.Listener of(Progress progress) {
    return (phase, i, n, e) ->
        progress.phase(
            phase
                + " "
                + i
                + "/"
                + n
                + ": "
                + e.describe()
                + " "
                + (phase.equals("revert")
                    ? e.applied() + " → " + e.previous()
                    : e.previous() + " → " + e.applied()));
  }

  /** The profile's advisory settings: reported, never applied. */
  static void advice(Profile profile, Progress progress) {
    profile
        .advisory()
        .values()
        .forEach(
            a ->
                progress.step(
                    "advice of profile "
                        + profile.name()
                        + " (reported, not applied): "
                        + a.key()
                        + " = "
                        + a.value()
                        + (a.reason().isEmpty() ? "" : " — " + a.reason())));
  }
}
