package io.kdensity.scale.cli;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.reports.allure.AnswerBanner;
import io.kdensity.reports.json.SummaryJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Generates the Allure HTML report offline with the allure-commandline the build unpacked from
 * Maven Central ({@code scale-tests/cli/target/allure/allure-<version>/bin/allure}).
 */
final class AllureHtml {
  static Path commandline() {
    String home = System.getProperty("kdensity.home", ".");
    // the source checkout's build, or the distribution's lib/
    for (Path dir :
        List.of(
            Path.of(home, "scale-tests", "cli", "target", "allure"),
            Path.of(home, "lib", "allure"))) {
      try (var s = Files.list(dir)) {
        Path found =
            s.map(p -> p.resolve("bin/allure"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        if (found != null) {
          return found;
        }
      } catch (IOException e) {
        // not this layout
      }
    }
    return null;
  }

  /**
   * Generates {@code out/allure-report} from {@code out/allure-results}, with the run's answer
   * (from {@code out/summary.json}) at the top of its first page; returns whether it did.
   */
  boolean generate(Path out) {
    Path allure = commandline();
    if (allure == null) {
      System.err.println(
          "kdensity: HTML report skipped: allure commandline not found (run `mvn -B package -DskipTests`)");
      return false;
    }
    String javaHome = System.getProperty("java.home");
    CommandResult r =
        new LocalShell()
            .run(
                Command.of(
                        allure.toString(),
                        "generate",
                        "--clean",
                        "-o",
                        out.resolve("allure-report").toString(),
                        out.resolve("allure-results").toString())
                    .withEnv(Map.of("JAVA_HOME", javaHome))
                    .withTimeout(Duration.ofMinutes(5)));
    if (!r.ok()) {
      System.err.println("kdensity: HTML report failed: " + r.firstErrorLine());
      return false;
    }
    Path summary = out.resolve("summary.json");
    if (Files.isRegularFile(summary)) {
      AnswerBanner.inject(out.resolve("allure-report"), SummaryJson.read(summary));
    }
    return true;
  }
}
