package io.kdensity.probes.shell;

import io.kdensity.probes.concurrent.Completions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Pattern;

/**
 * Runs many short commands — e.g. an fping from inside each pod — with one process of the shell
 * they run through ({@link NodeShell#runVia}), {@link #PARALLEL} at a time: on a cluster one exec
 * into the probe pod per {@link #MAX_COMMANDS} pods instead of one per pod.
 *
 * <p>The commands travel as lines on standard input, one word per argument; a word that is not
 * plainly an address, a number, a path or an option (only {@code [A-Za-z0-9_.:/=+-]}) is never put
 * on a line: such a command runs on its own.
 */
public final class BatchRun {
  /** Commands run at the same time inside one batch. */
  public static final int PARALLEL = 16;

  /** Commands per batch. */
  public static final int MAX_COMMANDS = 200;

  private static final Pattern PLAIN_WORD = Pattern.compile("[A-Za-z0-9_.:/=+-]+");

  static final String MARK = "@@kd-run ";

  /**
   * Reads its commands from standard input, one per line as "index word…", runs up to $1 of them at
   * a time, and prints each one's output (stdout and stderr) after a line "@@kd-run index
   * exit-code" and before an empty line (so the next marker starts a line even after output that
   * does not end with one). Globbing is off and the words are plain (checked by the caller), so
   * splitting a line on blanks gives back the argument vector.
   */
  static final String SCRIPT =
      "d=$(mktemp -d) || exit 1\n"
          + "trap 'rm -rf \"$d\"' EXIT\n"
          + "xargs -P \"$1\" -I {} sh -c 'set -f; set -- $1; i=$1; shift;"
          + " \"$@\" > \"$0/$i.out\" 2>&1; echo $? > \"$0/$i.rc\"' \"$d\" {}\n"
          + "for f in \"$d\"/*.rc; do [ -e \"$f\" ] || continue; i=${f##*/}; i=${i%.rc};"
          + " echo \"@@kd-run $i $(cat \"$f\")\"; cat \"$d/$i.out\"; echo; done\n";

  private BatchRun() {}

  /**
   * Runs each command in its shell; commands whose shells run them through a common shell go there
   * in batches. Batches, and commands that run on their own, run on {@code executor}.
   *
   * @param commands what to run where, by the caller's key
   * @return each key's result (stdout holds stdout and stderr together for a batched command)
   * @throws ShellException if a batch or a command cannot be run at all
   */
  public static <K> Map<K, CommandResult> runAll(Map<K, Run> commands, Executor executor) {
    Map<NodeShell, List<K>> keysByVia = new IdentityHashMap<>();
    Map<NodeShell, List<Command>> cmdsByVia = new IdentityHashMap<>();
    Map<K, CompletableFuture<CommandResult>> alone = new LinkedHashMap<>();
    for (Map.Entry<K, Run> e : commands.entrySet()) {
      Run run = e.getValue();
      Optional<NodeShell.DelegatedRun> via = run.shell().runVia(run.command());
      if (via.isPresent() && plain(via.get().command())) {
        keysByVia.computeIfAbsent(via.get().shell(), s -> new ArrayList<>()).add(e.getKey());
        cmdsByVia
            .computeIfAbsent(via.get().shell(), s -> new ArrayList<>())
            .add(via.get().command());
      } else {
        alone.put(
            e.getKey(),
            CompletableFuture.supplyAsync(() -> run.shell().run(run.command()), executor));
      }
    }
    Map<K, CompletableFuture<CommandResult>> batched = new LinkedHashMap<>();
    for (Map.Entry<NodeShell, List<K>> g : keysByVia.entrySet()) {
      NodeShell via = g.getKey();
      List<K> keys = g.getValue();
      List<Command> cmds = cmdsByVia.get(via);
      for (int from = 0; from < cmds.size(); from += MAX_COMMANDS) {
        List<Command> chunk = cmds.subList(from, Math.min(cmds.size(), from + MAX_COMMANDS));
        CompletableFuture<List<CommandResult>> done =
            CompletableFuture.supplyAsync(() -> runBatch(via, chunk), executor);
        for (int i = 0; i < chunk.size(); i++) {
          int at = i;
          batched.put(keys.get(from + i), done.thenApply(results -> results.get(at)));
        }
      }
    }
    Map<K, CommandResult> out = new LinkedHashMap<>();
    for (K k : commands.keySet()) {
      CompletableFuture<CommandResult> f = alone.containsKey(k) ? alone.get(k) : batched.get(k);
      out.put(k, Completions.join(f));
    }
    return out;
  }

  private static List<CommandResult> runBatch(NodeShell via, List<Command> chunk) {
    CommandResult r = via.run(command(chunk));
    if (!r.ok()) {
      throw new ShellException(
          "a batch of "
              + chunk.size()
              + " commands failed in "
              + via.describe()
              + ": "
              + r.firstErrorLine());
    }
    return split(r.stdout(), chunk, via.describe());
  }

  /** A command and the shell to run it in. */
  public record Run(NodeShell shell, Command command) {}

  /** Whether every word of the command can travel on a line of the batch. */
  static boolean plain(Command c) {
    return c.stdin() == null
        && c.env().isEmpty()
        && c.argv().stream().allMatch(w -> PLAIN_WORD.matcher(w).matches());
  }

  /** The batch: {@link #SCRIPT} with the commands on standard input. */
  static Command command(List<Command> cmds) {
    StringBuilder in = new StringBuilder();
    Duration longest = Duration.ZERO;
    for (int i = 0; i < cmds.size(); i++) {
      in.append(i).append(' ').append(String.join(" ", cmds.get(i).argv())).append('\n');
      longest = cmds.get(i).timeout().compareTo(longest) > 0 ? cmds.get(i).timeout() : longest;
    }
    int rounds = (cmds.size() + PARALLEL - 1) / PARALLEL;
    return new Command(
        List.of("sh", "-c", SCRIPT, "sh", Integer.toString(PARALLEL)),
        in.toString(),
        Map.of(),
        longest.multipliedBy(rounds).plusSeconds(30));
  }

  /**
   * Splits the batch's output into one result per command, in order; a command the batch did not
   * report (it could not start) is a failed result saying so.
   */
  static List<CommandResult> split(String stdout, List<Command> cmds, String where) {
    Map<Integer, Integer> codes = new LinkedHashMap<>();
    Map<Integer, StringBuilder> outs = new LinkedHashMap<>();
    StringBuilder current = null;
    List<String> lines = new ArrayList<>(List.of(stdout.split("\n", -1)));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1); // after the last line break
    }
    for (String line : lines) {
      if (line.startsWith(MARK)) {
        String[] f = line.substring(MARK.length()).trim().split(" ");
        int i;
        int code;
        try {
          i = Integer.parseInt(f[0]);
          code = f.length > 1 ? Integer.parseInt(f[1]) : -1;
        } catch (NumberFormatException e) {
          throw new ShellException("unexpected batch output in " + where + ": " + line);
        }
        codes.put(i, code);
        current = new StringBuilder();
        outs.put(i, current);
      } else if (current != null) {
        current.append(line).append('\n');
      }
    }
    List<CommandResult> out = new ArrayList<>();
    for (int i = 0; i < cmds.size(); i++) {
      String display = cmds.get(i).display();
      if (!codes.containsKey(i)) {
        out.add(
            new CommandResult(display, -1, "", "not run by the batch in " + where, Duration.ZERO));
        continue;
      }
      String text = outs.get(i).toString();
      // without the line the script's echo added after the output
      out.add(
          new CommandResult(
              display,
              codes.get(i),
              text.endsWith("\n") ? text.substring(0, text.length() - 1) : text,
              "",
              Duration.ZERO));
    }
    return out;
  }
}
