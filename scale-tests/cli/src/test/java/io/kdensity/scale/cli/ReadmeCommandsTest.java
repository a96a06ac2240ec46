package io.kdensity.scale.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kdensity.config.yaml.ConfigException;
import io.kdensity.scale.plan.PlanLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The front door cannot drift: every {@code ./kdensity …} command line in the fenced blocks of
 * README and docs/ names a command that exists, options that command (or one of its subcommands)
 * has, and repository files that exist; every plan named anywhere in those documents loads; every
 * relative link points at a file that exists.
 */
class ReadmeCommandsTest {
  private static final Path REPO = Path.of("..");

  /** The launcher's own command, not picocli's. */
  private static final Set<String> LAUNCHER_TEST_OPTIONS = Set.of("--fast", "--help");

  private static final Pattern OPTION = Pattern.compile("(?<![\\w-])(--[a-z][a-z0-9-]*)");
  private static final Pattern REPO_FILE =
      Pattern.compile(
          "(?<![\\w/.-])((?:scale-tests|ci|tuning-profiles)/[\\w./-]+\\.(?:ya?ml|json|sh|py))");

  private static final Pattern PLAN =
      Pattern.compile("(?<![\\w/.-])(scale-tests/plans/[\\w.-]+\\.yaml)");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

  /** A command line as written, with where it is. */
  record Line(int at, String text) {}

  /** Every ./kdensity command in the file's fenced blocks, continuation lines joined. */
  static List<Line> commands(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file);
    List<Line> out = new ArrayList<>();
    boolean fenced = false;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.strip().startsWith("```")) {
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

  /** README and every document under docs/. */
  static List<Path> documents() throws IOException {
    List<Path> docs = new ArrayList<>(List.of(REPO.resolve("README.md")));
    try (Stream<Path> s = Files.list(REPO.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    return docs;
  }

  @Test
  void everyDocumentedCommandExistsWithItsOptionsAndFiles() throws IOException {
    CommandLine cli = new CommandLine(new Main());
    List<String> problems = new ArrayList<>();
    int checked = 0;
    for (Path doc : documents()) {
      String name = REPO.relativize(doc).toString();
      for (Line line : commands(doc)) {
        checked++;
        problems.addAll(check(cli, name, line));
      }
    }
    assertThat(checked).isGreaterThan(25);
    assertThat(commands(REPO.resolve("README.md"))).hasSizeGreaterThan(10);
    assertThat(problems).isEmpty();
  }

  private static List<String> check(CommandLine cli, String doc, Line line) {
    List<String> problems = new ArrayList<>();
    String[] words = line.text().substring("./kdensity ".length()).strip().split("\\s+");
    String sub = words[0];
    if (sub.startsWith("-")) {
      return problems; // ./kdensity --help, --version
    }
    CommandLine command = cli.getSubcommands().get(sub);
    if (command == null && !sub.equals("test")) {
      problems.add(doc + ":" + line.at() + ": no command '" + sub + "'");
      return problems;
    }
    Matcher o = OPTION.matcher(line.text());
    while (o.find()) {
      String opt = o.group(1);
      boolean known =
          command == null ? LAUNCHER_TEST_OPTIONS.contains(opt) : hasOption(command, opt);
      if (!known) {
        problems.add(doc + ":" + line.at() + ": '" + sub + "' has no option " + opt);
      }
    }
    Matcher f = REPO_FILE.matcher(line.text());
    while (f.find()) {
      // my-…: the user's own file (a baseline `baseline update` writes, a plan they wrote)
      if (!f.group(1).contains("/my-") && !Files.exists(REPO.resolve(f.group(1)))) {
        problems.add(doc + ":" + line.at() + ": no file " + f.group(1));
      }
    }
    return problems;
  }

  @Test
  @DisplayName("every plan a document names loads (with its ${VARS} given), so no example is stale")
  void everyNamedPlanLoads() throws IOException {
    Set<String> plans = new TreeSet<>();
    for (Path doc : documents()) {
      Matcher m = PLAN.matcher(Files.readString(doc));
      while (m.find()) {
        plans.add(m.group(1));
      }
    }
    assertThat(plans)
        .contains("scale-tests/plans/default.yaml", "scale-tests/plans/cluster-2000x5.yaml");
    Map<String, String> env = Map.of("KDENSITY_NODE", "worker-3", "KDENSITY_MASTER", "ens1f0");
    List<String> problems = new ArrayList<>();
    for (String plan : plans) {
      Path file = REPO.resolve(plan);
      if (plan.contains("/my-")) {
        continue;
      }
      if (!Files.exists(file)) {
        problems.add("no plan " + plan);
        continue;
      }
      try {
        PlanLoader.load(file, env);
      } catch (ConfigException e) {
        problems.add(plan + ": " + e.getMessage());
      }
    }
    assertThat(problems).isEmpty();
  }

  @Test
  @DisplayName("every relative link of README and docs/ points at a file that exists")
  void everyRelativeLinkResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path doc : documents()) {
      Matcher m = LINK.matcher(Files.readString(doc));
      while (m.find()) {
        String target = m.group(1);
        if (target.startsWith("http") || target.startsWith("#")) {
          continue;
        }
        String path = target.replaceAll("#.*$", "");
        if (!Files.exists(doc.getParent().resolve(path))) {
          broken.add(REPO.relativize(doc) + ": " + target);
        }
      }
    }
    assertThat(broken).isEmpty();
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
