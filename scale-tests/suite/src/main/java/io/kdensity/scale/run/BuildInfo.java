package io.kdensity.scale.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and commit kdensity was built from ({@code kdensity-build.properties}, filtered by
 * Maven with the git commit): printed by {@code --version} and written into every summary.
 *
 * @param version the Maven version, e.g. {@code 0.1.0-SNAPSHOT}
 * @param commit the abbreviated commit, {@code unknown} for a build without git
 * @param dirty whether the working tree had uncommitted changes when built
 */
public record BuildInfo(String version, String commit, boolean dirty) {

  /** This build's, read once from the class path. */
  public static BuildInfo current() {
    Properties p = new Properties();
    try (InputStream in = BuildInfo.class.getResourceAsStream("/kdensity-build.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // a jar without the file: unknown
    }
    return new BuildInfo(
        known(p.getProperty("version")),
        known(p.getProperty("commit")),
        "true".equals(p.getProperty("dirty")));
  }

  /** An unfiltered placeholder ({@code ${…}}) or nothing is "unknown". */
  private static String known(String v) {
    return v == null || v.isBlank() || v.contains("${") ? "unknown" : v;
  }

  /** "0.1.0-SNAPSHOT (commit 6a358b1, with uncommitted changes)". */
  public String describe() {
    return version + " (commit " + commit + (dirty ? ", with uncommitted changes" : "") + ")";
  }
}
