package io.kdensity.probes;

import io.kdensity.probes.shell.FixtureShell;

/** Loads the captured fixtures under {@code src/test/resources/fixtures}. */
public final class Fixtures {
  private Fixtures() {}

  /** The text of {@code fixtures/<path>}. */
  public static String load(String path) {
    return FixtureShell.resource("/fixtures/" + path);
  }
}
