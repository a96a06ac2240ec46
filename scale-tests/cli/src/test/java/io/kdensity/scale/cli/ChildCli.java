package io.kdensity.scale.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Runs the kdensity CLI in a separate JVM, so a test can signal or kill it. */
final class ChildCli implements AutoCloseable {
  final Process process;
  final List<String> lines = new CopyOnWriteArrayList<>();

  ChildCli(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    // Ctrl-C in a terminal reaches a process whose SIGINT is not ignored. A suite started from a
    // background shell (a CI job's `cmd &`, nohup) inherits SIGINT ignored, as POSIX has
    // asynchronous commands ignore it, and a JVM started so installs no handler for it: start the
    // child as a terminal would (coreutils env resets the disposition, then execs: same pid).
    cmd.addAll(List.of("env", "--default-signal=INT"));
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.add("-Dkdensity.home=..");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().putAll(env);
    process = pb.start();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String l;
                while ((l = r.readLine()) != null) {
                  lines.add(l);
                }
              } catch (IOException e) {
                // process ended
              }
            },
            "child-cli-reader");
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits until a printed line matches, at most {@code atMost}. */
  boolean awaitLine(Predicate<String> p, Duration atMost) throws InterruptedException {
    long end = System.nanoTime() + atMost.toNanos();
    while (System.nanoTime() < end) {
      if (lines.stream().anyMatch(p)) {
        return true;
      }
      if (!process.isAlive()) {
        return lines.stream().anyMatch(p);
      }
      Thread.sleep(100);
    }
    return false;
  }

  /** What the child printed so far, for assertion messages. */
  String output() {
    return String.join("\n", lines);
  }

  void signal(String sig) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).start().waitFor();
  }

  int waitFor(Duration atMost) throws InterruptedException {
    if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(
          "child did not exit within " + atMost + "; output:\n" + String.join("\n", lines));
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
