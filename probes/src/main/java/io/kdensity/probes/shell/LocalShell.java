package io.kdensity.probes.shell;

import io.kdensity.probes.concurrent.DaemonThreads;
import io.micrometer.core.instrument.Clock;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs commands as processes of this machine and reads its files directly.
 *
 * <p>Standard output and error are drained on pooled daemon threads so a chatty command cannot
 * block on a full pipe; a command that outlives its timeout is killed together with its
 * descendants.
 */
public final class LocalShell implements NodeShell {

  private final ExecutorService drains;
  private final Clock clock;

  /** A shell timing its commands with the system clock. */
  public LocalShell() {
    this(Clock.SYSTEM);
  }

  /**
   * @param clock measures each command's elapsed time ({@link Clock#monotonicTime()})
   */
  public LocalShell(Clock clock) {
    this.clock = clock;
    this.drains =
        new ThreadPoolExecutor(
            0,
            Integer.MAX_VALUE,
            30,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            DaemonThreads.named("kd-shell-drain"));
  }

  @Override
  public CommandResult run(Command command) {
    long start = clock.monotonicTime();
    Process process = launch(command);
    CompletableFuture<String> out = drain(process.getInputStream());
    CompletableFuture<String> err = drain(process.getErrorStream());
    feed(process, command);
    try {
      if (!process.waitFor(command.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
        kill(process);
        throw new CommandTimeoutException(command.display(), command.timeout());
      }
      Duration elapsed = Duration.ofNanos(clock.monotonicTime() - start);
      return new CommandResult(
          command.display(),
          process.exitValue(),
          out.get(5, TimeUnit.SECONDS),
          err.get(5, TimeUnit.SECONDS),
          elapsed);
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new ShellException("interrupted while running `" + command.display() + "`", e);
    } catch (ExecutionException | TimeoutException e) {
      kill(process);
      throw new ShellException("cannot read the output of `" + command.display() + "`", e);
    }
  }

  @Override
  public RunningProcess start(Command command) {
    Process process = launch(command);
    LocalProcess running = new LocalProcess(process, drainTail(process.getErrorStream()));
    feed(process, command);
    return running;
  }

  /** Starts the command's process, its input from /dev/null unless the command has one. */
  private static Process launch(Command command) {
    ProcessBuilder pb = new ProcessBuilder(command.argv());
    pb.environment().putAll(command.env());
    if (command.stdin() == null) {
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    }
    try {
      return pb.start();
    } catch (IOException e) {
      String msg = String.valueOf(e.getMessage());
      if (msg.contains("error=2,") || msg.contains("No such file")) {
        throw new MissingToolException(command.program(), Packages.providing(command.program()));
      }
      throw new ShellException("cannot start `" + command.display() + "`: " + msg, e);
    }
  }

  /** Writes the command's input, if it has one, and closes it. */
  private static void feed(Process process, Command command) {
    if (command.stdin() != null) {
      try (OutputStream in = process.getOutputStream()) {
        in.write(command.stdin().getBytes(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // The command closed its input early; what it printed tells the story.
      }
    }
  }

  /** Keeps the last 4 KiB a background process writes on stderr, so it never blocks on a pipe. */
  private StringBuffer drainTail(InputStream stream) {
    StringBuffer tail = new StringBuffer();
    drains.execute(
        () -> {
          byte[] buf = new byte[4096];
          try (InputStream s = stream) {
            int n;
            while ((n = s.read(buf)) > 0) {
              tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
              if (tail.length() > 4096) {
                tail.delete(0, tail.length() - 4096);
              }
            }
          } catch (IOException e) {
            // the process is gone: what it wrote so far is kept
          }
        });
    return tail;
  }

  private static final class LocalProcess implements RunningProcess {
    private final Process process;
    private final BufferedReader out;
    private final StringBuffer err;

    LocalProcess(Process process, StringBuffer err) {
      this.process = process;
      this.err = err;
      this.out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    @Override
    public long pid() {
      return process.pid();
    }

    @Override
    public String readLine() {
      try {
        String line = out.readLine();
        if (line == null) {
          // the process closed its output: give the pipe back (a node's thousands of pod
          // anchors would otherwise hold thousands of descriptors, which every later child
          // process must close one by one when it starts)
          out.close();
        }
        return line;
      } catch (IOException e) {
        return null;
      }
    }

    @Override
    public boolean waitFor(Duration timeout) {
      try {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }

    @Override
    public boolean isAlive() {
      return process.isAlive();
    }

    @Override
    public int exitCode() {
      return process.exitValue();
    }

    @Override
    public String stderr() {
      return err.toString();
    }

    @Override
    public void close() {
      kill(process);
    }
  }

  /**
   * Closes many processes at once, with their descendants: one scan of the process table for all of
   * them. {@link ProcessHandle#descendants()} reads every {@code /proc} entry, so closing a node's
   * 2,000 pod anchors one by one read /proc 2,000 times over 4,000 processes (80 s of a 2,000-pod
   * teardown). Returns when every one of them and of their descendants has exited, or after 5 s.
   */
  public static void closeAll(Collection<? extends RunningProcess> processes) {
    List<Process> local = new ArrayList<>();
    for (RunningProcess p : processes) {
      if (p instanceof LocalProcess lp) {
        local.add(lp.process);
      } else {
        p.close();
      }
    }
    if (local.isEmpty()) {
      return;
    }
    Map<Long, List<ProcessHandle>> children = new HashMap<>();
    ProcessHandle.allProcesses()
        .forEach(
            h ->
                h.parent()
                    .ifPresent(
                        parent ->
                            children.computeIfAbsent(parent.pid(), k -> new ArrayList<>()).add(h)));
    List<ProcessHandle> descendants = new ArrayList<>();
    for (Process p : local) {
      ArrayDeque<Long> todo = new ArrayDeque<>(List.of(p.pid()));
      while (!todo.isEmpty()) {
        for (ProcessHandle c : children.getOrDefault(todo.pop(), List.of())) {
          c.destroyForcibly();
          descendants.add(c);
          todo.push(c.pid());
        }
      }
      p.destroyForcibly();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try {
      for (Process p : local) {
        p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      // SIGKILL is delivered, not yet acted on, when kill(2) returns: a descendant may still run
      // for a moment after its shell is gone, so it is waited for too
      for (ProcessHandle c : descendants) {
        c.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // past the deadline: the kill stands, whatever is left is reaped by its new parent
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private CompletableFuture<String> drain(InputStream stream) {
    return CompletableFuture.supplyAsync(
        () -> {
          try (InputStream s = stream) {
            return new String(s.readAllBytes(), StandardCharsets.UTF_8);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        },
        drains);
  }

  /**
   * Reads with one large first read: {@code /proc/sys} files return their whole value to a read at
   * offset 0 and nothing to a read at a later offset, so {@code Files.readString} (which reads one
   * byte first) would see only the first digit.
   */
  @Override
  public String readFile(String path) {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
      byte[] buf = new byte[65536];
      int n;
      while ((n = in.read(buf)) > 0) {
        out.write(buf, 0, n);
      }
      return out.toString(StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ShellException("cannot read " + path + ": no such file");
    } catch (IOException e) {
      throw new ShellException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void writeFile(String path, String content) {
    try {
      Files.writeString(Path.of(path), content, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ShellException("cannot write " + path + ": no such file");
    } catch (IOException e) {
      throw new ShellException("cannot write " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<String> netnsPath() {
    // read by a process this shell starts: its own namespace is this shell's
    return Optional.of("/proc/self/ns/net");
  }

  @Override
  public String describe() {
    return "local";
  }
}
