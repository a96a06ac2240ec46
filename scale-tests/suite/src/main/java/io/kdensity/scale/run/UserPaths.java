package io.kdensity.scale.run;

import java.nio.file.Path;

/**
 * Where the paths a user typed point: against the directory they typed them in, for both front
 * doors. The launcher passes the caller's directory as {@code -Dkdensity.cwd} (it works from any
 * directory and through a symlink on PATH); Maven's ramp profile passes the directory {@code mvn}
 * was started in ({@code session.executionRootDirectory}), since Failsafe runs in {@code
 * scale-tests/}. kdensity's own files (shipped plans, profiles) are found under {@code
 * -Dkdensity.home}.
 */
public final class UserPaths {
  /** The directory relative paths are typed in. */
  public static final String CWD = "kdensity.cwd";

  /** kdensity's installation (the repository or the unpacked distribution). */
  public static final String HOME = "kdensity.home";

  private UserPaths() {}

  /** The caller's directory: {@code kdensity.cwd}, else this process's working directory. */
  public static Path base() {
    String d = System.getProperty(CWD);
    return Path.of(d == null || d.isBlank() ? System.getProperty("user.dir") : d);
  }

  /** {@code path} as the user meant it: absolute as is, relative against {@link #base()}. */
  public static Path resolve(String path) {
    Path p = Path.of(path);
    return p.isAbsolute() ? p : base().resolve(p).normalize();
  }

  /**
   * A profile given by name stays a name; one given as a file ({@code .yaml}/{@code .yml}, or with
   * a slash) is resolved like any path.
   */
  public static String resolveProfile(String nameOrFile) {
    if (nameOrFile == null || nameOrFile.isBlank()) {
      return nameOrFile;
    }
    boolean file =
        nameOrFile.contains("/") || nameOrFile.endsWith(".yaml") || nameOrFile.endsWith(".yml");
    return file ? resolve(nameOrFile).toString() : nameOrFile;
  }

  /** One of kdensity's own files: under {@code kdensity.home}, else under {@link #base()}. */
  public static Path home(String relative) {
    String h = System.getProperty(HOME);
    return h == null || h.isBlank() ? resolve(relative) : Path.of(h).resolve(relative);
  }
}
