package io.kdensity.scale.targets.kube;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.ShellException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A node that answers from a {@code doctor} bundle's {@code exec.jsonl}: each command (argv and
 * stdin) gets the answers recorded for it, in their order. A command the transcript does not hold
 * is an error naming it: kdensity now asks the node something the recorded run did not.
 */
final class TranscriptShell extends CommandOnlyShell {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final Map<String, Deque<ExecTranscript.Exec>> answers = new HashMap<>();

  TranscriptShell(Path execJsonl) throws IOException {
    for (String line : Files.readAllLines(execJsonl)) {
      if (!line.isBlank()) {
        ExecTranscript.Exec e = JSON.readValue(line, ExecTranscript.Exec.class);
        answers.computeIfAbsent(key(e.argv(), e.stdin()), k -> new ArrayDeque<>()).add(e);
      }
    }
  }

  private static String key(List<String> argv, String stdin) {
    return String.join("\u0000", argv) + "\u0001" + stdin;
  }

  @Override
  public synchronized CommandResult run(Command c) {
    Deque<ExecTranscript.Exec> q = answers.get(key(c.argv(), c.stdin()));
    if (q == null || q.isEmpty()) {
      throw new ShellException("not in the transcript: `" + c.display() + "`");
    }
    ExecTranscript.Exec e = q.size() > 1 ? q.poll() : q.peek();
    return new CommandResult(
        c.display(), e.exit(), e.stdout(), e.stderr(), Duration.ofMillis(e.millis()));
  }

  @Override
  public void writeFile(String path, String content) {
    throw new ShellException("a recorded node is read-only: " + path);
  }

  @Override
  public String describe() {
    return "recorded node";
  }
}
