package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The front door cannot drift: every {@code ./kdensity …} command line in README's fenced blocks
 * names a command that exists, options that command (or one of its subcommands) has, and repository
 * files that exist.
 */
class ReadmeCommandsTest {
  private static final Path REPO = Path.of("..");

  /** The launcher's own command, not picocli's. */
  private static final Set<String> LAUNCHER_TEST_OPTIONS = Set.of("--fast", "--help");

  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");
  private static final Pattern REPO_FILE =
      Pattern.compile(
          "(?<![\\w/.-])((?:scale-tests|ci|tuning-profiles)/[\\w./-]+\\.(?:ya?ml|json|sh|py))");

  /** A command line as written, with where it is. */
  record Line(int at, String text) {}

  /** Every ./kdensity command in the file's fenced blocks, continuation lines joined. */
  static List<Line> commands(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<Line> out = new ArrayList<>();
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("```")) {
        fenced = !fenced;
        continue;
      }
      if (!fenced || !l.contains("./kdensity ")) {
        continue;
      }
      StringBuilder cmd = new StringBuilder(l.substring(l.indexOf("./kdensity ")));
      int start = i + 1;
      // a trailing backslash, or a synopsis continued on indented lines
      while (i + 1 < lines.size()
          && (cmd.toString().strip().endsWith("\\")
              || lines.get(i + 1).matches("\\s{8,}[\\[-].*"))) {
        cmd.append(' ').append(lines.get(++i).strip());
      }
      String text = cmd.toString().replace("\\", " ");
      // comments and the synopsis' descriptions after a wide gap
      text = text.replaceAll("\\s#.*$", "").replaceAll("\\s{3,}[a-z][^\\[]*$", "");
      out.add(new Line(start, text));
    }
    return out;
  }

  @Test
  void everyReadmeCommandExistsWithItsOptionsAndFiles() throws IOException {
    CommandLine cli = new CommandLine(new Main());
    List<Line> lines = commands(REPO.resolve("README.md"));
    assertThat(lines).hasSizeGreaterThan(20);
    List<String> problems = new ArrayList<>();
    for (Line line : lines) {
      String[] words = line.text().substring("./kdensity ".length()).strip().split("\\s+");
      String sub = words[0];
      if (sub.startsWith("-")) {
        continue; // ./kdensity --help, --version
      }
      CommandLine command = cli.getSubcommands().get(sub);
      if (command == null && !sub.equals("test")) {
        problems.add("README.md:" + line.at() + ": no command '" + sub + "'");
        continue;
      }
      Matcher o = OPTION.matcher(line.text());
      while (o.find()) {
        String opt = o.group(1);
        boolean known =
            command == null ? LAUNCHER_TEST_OPTIONS.contains(opt) : hasOption(command, opt);
        if (!known) {
          problems.add("README.md:" + line.at() + ": '" + sub + "' has no option " + opt);
        }
      }
      Matcher f = REPO_FILE.matcher(line.text());
      while (f.find()) {
        // my-…: the user's own file (a baseline `baseline update` writes, a plan they wrote)
        if (!f.group(1).contains("/my-") && !Files.exists(REPO.resolve(f.group(1)))) {
          problems.add("README.md:" + line.at() + ": no file " + f.group(1));
        }
      }
    }
    assertThat(problems).isEmpty();
  }

  /** The option on the command or any of its subcommands (a synopsis lists them together). */
  private static boolean hasOption(CommandLine c, String opt) {
    if (c.getCommandSpec().findOption(opt) != null) {
      return true;
    }
    return c.getSubcommands().values().stream().anyMatch(s -> hasOption(s, opt));
  }

  @Test
  void aMistypedOptionOrMissingFileIsFound() throws IOException {
    Path f = Files.createTempFile("readme", ".md");
    try {
      Files.writeString(
          f, "```\n./kdensity ramp --plan scale-tests/plans/nope.yaml --trails 5\n```\n");
      List<Line> lines = commands(f);
      assertThat(lines).singleElement().extracting(Line::text).asString().contains("--trails");
      assertThat(hasOption(new CommandLine(new Main()).getSubcommands().get("ramp"), "--trails"))
          .isFalse();
      assertThat(Files.exists(REPO.resolve("scale-tests/plans/nope.yaml"))).isFalse();
    } finally {
      Files.delete(f);
    }
  }
}
