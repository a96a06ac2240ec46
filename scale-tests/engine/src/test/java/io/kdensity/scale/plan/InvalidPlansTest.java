package io.kdensity.scale.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.kdensity.config.yaml.ConfigError;
import io.kdensity.config.yaml.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every plan under {@code testdata/plans/invalid/} is refused with exactly the problems its {@code
 * # expect: LINE: MESSAGE} header lines list (message as a prefix), all at once, in line order.
 */
class InvalidPlansTest {
  static final Path DIR = Path.of("engine/src/test/resources/testdata/plans/invalid");
  private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+): (.*)");

  record Expected(int line, String message) {}

  static Stream<Path> plans() throws IOException {
    return Files.list(DIR).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @DisplayName("an invalid plan yields every problem its header expects, with lines, in one run")
  @MethodSource("plans")
  void reportsEveryExpectedProblem(Path plan) throws IOException {
    List<Expected> expected =
        Files.readAllLines(plan).stream()
            .map(EXPECT::matcher)
            .filter(Matcher::matches)
            .map(m -> new Expected(Integer.parseInt(m.group(1)), m.group(2)))
            .toList();
    assertThat(expected).as("expectations in %s", plan).isNotEmpty();

    ConfigException e = catchThrowableOfType(ConfigException.class, () -> PlanLoader.load(plan));

    assertThat(e).as("%s must be refused", plan).isNotNull();
    List<ConfigError> errors = e.errors();
    assertThat(errors).extracting(ConfigError::file).containsOnly(plan.toString());
    assertThat(errors)
        .extracting(ConfigError::line)
        .containsExactlyElementsOf(expected.stream().map(Expected::line).toList());
    for (int i = 0; i < expected.size(); i++) {
      assertThat(errors.get(i).message()).startsWith(expected.get(i).message());
    }
  }
}
