package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.kdensity.probes.shell.BatchRead;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.CommandTimeoutException;
import io.kdensity.probes.shell.FileRead;
import io.kdensity.probes.shell.MissingToolException;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.Packages;
import io.kdensity.probes.shell.ShellException;
import io.micrometer.core.instrument.Clock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link NodeShell} that runs commands in a pod through the Kubernetes exec API, at most as often
 * as its rate limiter allows (the plan's QPS, like pod creates: a scan of 2,000 pods must not be
 * 2,000 exec requests at once), reading many files with one exec.
 */
public final class ExecShell implements NodeShell {
  private final KubernetesClient client;
  private final String namespace;
  private final String pod;
  private final Clock clock;
  private final RateLimiter limiter;

  /** A shell for a few calls (a restore pod's): not rate-limited. */
  public ExecShell(KubernetesClient client, String namespace, String pod, Clock clock) {
    this(client, namespace, pod, clock, null);
  }

  /**
   * @param limiter permits for each exec, or null for none
   */
  public ExecShell(
      KubernetesClient client, String namespace, String pod, Clock clock, RateLimiter limiter) {
    this.clock = clock;
    this.client = client;
    this.namespace = namespace;
    this.pod = pod;
    this.limiter = limiter;
  }

  @Override
  public CommandResult run(Command c) {
    if (limiter != null) {
      try {
        limiter.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ShellException("interrupted: " + c.display(), e);
      }
    }
    List<String> argv = new ArrayList<>();
    if (!c.env().isEmpty()) {
      argv.add("env");
      for (Map.Entry<String, String> e : c.env().entrySet()) {
        argv.add(e.getKey() + "=" + e.getValue());
      }
    }
    argv.addAll(c.argv());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    long t0 = clock.monotonicTime();
    var op = client.pods().inNamespace(namespace).withName(pod);
    try (ExecWatch w =
        (c.stdin() == null
                ? op.writingOutput(out).writingError(err)
                : op.redirectingInput().writingOutput(out).writingError(err))
            .exec(argv.toArray(String[]::new))) {
      if (c.stdin() != null) {
        try (OutputStream in = w.getInput()) {
          in.write(c.stdin().getBytes(StandardCharsets.UTF_8));
        }
      }
      int code = w.exitCode().get(c.timeout().toMillis(), TimeUnit.MILLISECONDS);
      String se = err.toString(StandardCharsets.UTF_8);
      if (code == 127 || se.contains("executable file not found")) {
        throw new MissingToolException(
            c.program(), Packages.providing(c.program()) + " (in the probe image)");
      }
      return new CommandResult(
          c.display(),
          code,
          out.toString(StandardCharsets.UTF_8),
          se,
          Duration.ofNanos(clock.monotonicTime() - t0));
    } catch (TimeoutException e) {
      throw new CommandTimeoutException(c.display() + " in pod " + pod, c.timeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShellException("interrupted: " + c.display(), e);
    } catch (ExecutionException | IOException | RuntimeException e) {
      if (e instanceof ShellException se) {
        throw se;
      }
      throw new ShellException(
          "cannot exec `"
              + c.display()
              + "` in pod "
              + namespace
              + "/"
              + pod
              + ": "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String readFile(String path) {
    return readFiles(List.of(path)).get(path).require();
  }

  /** One exec per {@link BatchRead#MAX_FILES_PER_COMMAND} files. */
  @Override
  public Map<String, FileRead> readFiles(List<String> paths) {
    Map<String, FileRead> out = new LinkedHashMap<>();
    for (List<String> chunk : BatchRead.chunks(paths)) {
      out.putAll(BatchRead.split(run(BatchRead.command(chunk)).stdout(), chunk, describe()));
    }
    return out;
  }

  @Override
  public void writeFile(String path, String content) {
    CommandResult r =
        run(Command.of("sh", "-c", "printf '%s\\n' \"$1\" > \"$2\"", "sh", content, path));
    if (!r.ok()) {
      throw new ShellException("cannot write " + path + " on the node: " + r.firstErrorLine());
    }
  }

  @Override
  public String describe() {
    return "pod " + namespace + "/" + pod;
  }
}
