package io.kdensity.probes.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A shell that answers from recorded output, for tests of parsers and probes: commands are matched
 * by their command line, files by path. Every call is recorded so tests can assert what a probe
 * asked for. Unknown commands and files fail like on a real node.
 *
 * <pre>{@code
 * FixtureShell shell = new FixtureShell("node")
 *     .file("/proc/net/stat/ndisc_cache", FixtureShell.resource("/fixtures/neighstat/ndisc-table-fulls.txt"))
 *     .command("ip -j neigh", "[]");
 * }</pre>
 */
public final class FixtureShell implements NodeShell {

  private final String name;
  private final Map<String, CommandResult> commands = new ConcurrentHashMap<>();
  private final Map<String, String> files = new ConcurrentHashMap<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile String netns;

  public FixtureShell(String name) {
    this.name = name;
  }

  /** Answers {@code commandLine} with exit code 0 and the given standard output. */
  public FixtureShell command(String commandLine, String stdout) {
    return command(commandLine, 0, stdout, "");
  }

  /** Answers {@code commandLine} with the given exit code and output. */
  public FixtureShell command(String commandLine, int exitCode, String stdout, String stderr) {
    commands.put(
        commandLine, new CommandResult(commandLine, exitCode, stdout, stderr, Duration.ZERO));
    return this;
  }

  /** Serves {@code content} for {@code path}; a later call replaces it (counters that move). */
  public FixtureShell file(String path, String content) {
    files.put(path, content);
    return this;
  }

  /** Names this shell's namespace as {@code path} ({@link NodeShell#netnsPath}). */
  public FixtureShell netns(String path) {
    this.netns = path;
    return this;
  }

  @Override
  public Optional<String> netnsPath() {
    return Optional.ofNullable(netns);
  }

  /** Makes {@code path} unreadable again. */
  public FixtureShell removeFile(String path) {
    files.remove(path);
    return this;
  }

  /** Every command line run and every file read, in order ({@code file:<path>} for reads). */
  public List<String> calls() {
    return new ArrayList<>(calls);
  }

  @Override
  public CommandResult run(Command command) {
    calls.add(command.display());
    CommandResult r = commands.get(command.display());
    if (r == null) {
      throw new ShellException("no fixture for `" + command.display() + "` in " + describe());
    }
    return r;
  }

  @Override
  public String readFile(String path) {
    calls.add("file:" + path);
    String c = files.get(path);
    if (c == null) {
      throw new ShellException("cannot read " + path + " in " + describe() + ": no such file");
    }
    return c;
  }

  /** One call for all of them ({@code files:<path>,<path>…}), as a batching shell makes one. */
  @Override
  public Map<String, FileRead> readFiles(List<String> paths) {
    calls.add("files:" + String.join(",", paths));
    Map<String, FileRead> out = new LinkedHashMap<>();
    for (String p : paths) {
      String c = files.get(p);
      out.put(
          p,
          c == null
              ? FileRead.failed(p, "cannot read " + p + " in " + describe() + ": no such file")
              : FileRead.ok(p, c));
    }
    return out;
  }

  @Override
  public void writeFile(String path, String content) {
    calls.add("write:" + path + "=" + content);
    if (!files.containsKey(path)) {
      throw new ShellException("cannot write " + path + " in " + describe() + ": no such file");
    }
    files.put(path, content + "\n");
  }

  @Override
  public String describe() {
    return "fixture " + name;
  }

  /** Loads a classpath resource (a captured fixture) as text. */
  public static String resource(String path) {
    try (InputStream in = FixtureShell.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalArgumentException("no such fixture on the classpath: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
