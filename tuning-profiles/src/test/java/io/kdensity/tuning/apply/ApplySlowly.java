package io.kdensity.tuning.apply;

import io.kdensity.probes.shell.LocalShell;
import io.kdensity.tuning.profile.ProfileLoader;
import io.micrometer.core.instrument.Clock;
import java.nio.file.Path;
import java.util.List;

/**
 * Test helper run as a separate JVM: applies a profile, pausing after every change, and never
 * reverts, so a test can kill it with SIGKILL half-way.
 *
 * <p>Arguments: profile file, journal directory.
 */
public final class ApplySlowly {
  private ApplySlowly() {}

  public static void main(String[] args) throws Exception {
    ProfileApplier a =
        new ProfileApplier(
            new LocalNodeAccess(new LocalShell(), ""),
            Path.of(args[1]),
            Clock.SYSTEM,
            (phase, i, n, e) -> {
              System.out.println(phase + " " + i + "/" + n);
              System.out.flush();
              try {
                Thread.sleep(400);
              } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
              }
            });
    a.apply(new ProfileLoader(List.of()).load(args[0]));
    System.out.println("done");
    Thread.sleep(60_000);
  }
}
