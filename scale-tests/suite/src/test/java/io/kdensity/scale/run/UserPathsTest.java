package io.kdensity.scale.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UserPathsTest {
  @AfterEach
  void clear() {
    System.clearProperty(UserPaths.CWD);
    System.clearProperty(UserPaths.HOME);
  }

  @ParameterizedTest(name = "typed {0} in /home/ops/lab → {1}")
  @DisplayName("a path is resolved against the directory the user typed it in")
  @CsvSource({
    "my.yaml,           /home/ops/lab/my.yaml",
    "../plans/x.yaml,   /home/ops/plans/x.yaml",
    "./out,             /home/ops/lab/out",
    "/etc/kdensity/p.yaml, /etc/kdensity/p.yaml",
  })
  void resolvesAgainstTheCallersDirectory(String typed, String expected) {
    System.setProperty(UserPaths.CWD, "/home/ops/lab");
    assertThat(UserPaths.resolve(typed)).isEqualTo(Path.of(expected));
  }

  @ParameterizedTest(name = "--profile {0} → {1}")
  @DisplayName("a profile name stays a name, a profile file is the user's path")
  @CsvSource({
    "dense-ipv6,          dense-ipv6",
    "mine.yaml,           /home/ops/lab/mine.yaml",
    "profiles/tuned.yml,  /home/ops/lab/profiles/tuned.yml",
  })
  void profilesByNameOrFile(String typed, String expected) {
    System.setProperty(UserPaths.CWD, "/home/ops/lab");
    assertThat(UserPaths.resolveProfile(typed)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  @DisplayName("kdensity's own files come from its home, not from the user's directory")
  void homeFiles() {
    System.setProperty(UserPaths.CWD, "/home/ops/lab");
    System.setProperty(UserPaths.HOME, "/opt/kdensity-0.1.0");
    assertThat(UserPaths.home("scale-tests/plans/default.yaml"))
        .isEqualTo(Path.of("/opt/kdensity-0.1.0/scale-tests/plans/default.yaml"));
    System.clearProperty(UserPaths.HOME);
    assertThat(UserPaths.home("scale-tests/plans/default.yaml"))
        .isEqualTo(Path.of("/home/ops/lab/scale-tests/plans/default.yaml"));
  }
}
