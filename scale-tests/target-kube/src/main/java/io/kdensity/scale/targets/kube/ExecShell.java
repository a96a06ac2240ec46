package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.ExecListener;
import io.fabric8.kubernetes.client.dsl.ExecWatch;
import io.fabric8.kubernetes.client.http.WebSocketHandshakeException;
import io.kdensity.probes.concurrent.DaemonThreads;
import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.CommandTimeoutException;
import io.kdensity.probes.shell.MissingToolException;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.Packages;
import io.kdensity.probes.shell.ShellException;
import io.micrometer.core.instrument.Clock;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A {@link NodeShell} that runs commands in a pod through the Kubernetes exec API, at most as often
 * as its rate limiter allows (the plan's QPS, like pod creates: a scan of 2,000 pods must not be
 * 2,000 exec requests at once), reading many files with one exec.
 *
 * <p>fabric8 speaks {@code v4.channel.k8s.io}, which cannot tell the remote process that stdin
 * ended (kubernetes/kubernetes#89899): a command that reads stdin to its end would wait until the
 * exec times out. So a command's stdin is sent with its length, and the command reads exactly that
 * many bytes: {@code sh -c 'head -c N | cmd'} — nothing waits for an end of stdin.
 *
 * <p>The process's exit comes as the error channel's Status ({@code Success}, {@code
 * NonZeroExitCode} with the code); a runtime that cannot start the command says why there
 * ("executable file not found" becomes a {@link MissingToolException}); a stream closed without a
 * Status is an error saying so. If the pod is gone (404), the shell asks its resolver for the pod
 * that replaced it (the probe DaemonSet recreates an evicted pod) and tries once more.
 */
public final class ExecShell extends CommandOnlyShell {
  /**
   * Runs its arguments after the first with stdin cut to the first argument's number of bytes. A
   * constant: the count and the command are arguments, never code.
   */
  static final String BOUNDED_STDIN = "n=$1; shift; head -c \"$n\" | \"$@\"";

  private static final ExecutorService READERS =
      Executors.newCachedThreadPool(DaemonThreads.named("kd-exec-read"));

  private final KubernetesClient client;
  private final String namespace;
  private final Supplier<Optional<String>> resolver;
  private final Clock clock;
  private final RateLimiter limiter;
  private final AtomicReference<String> pod;

  /** A shell for a few calls (a restore pod's): not rate-limited, never re-resolved. */
  public ExecShell(KubernetesClient client, String namespace, String pod, Clock clock) {
    this(client, namespace, pod, Optional::empty, clock, null);
  }

  /**
   * @param pod the pod to exec into
   * @param resolver the pod that now plays its part, when it is gone (empty: none)
   * @param limiter permits for each exec, or null for none
   */
  public ExecShell(
      KubernetesClient client,
      String namespace,
      String pod,
      Supplier<Optional<String>> resolver,
      Clock clock,
      RateLimiter limiter) {
    this.clock = clock;
    this.client = client;
    this.namespace = namespace;
    this.resolver = resolver;
    this.limiter = limiter;
    this.pod = new AtomicReference<>(pod);
  }

  /** The pod's name (the one that replaced it, after a re-resolve). */
  public String pod() {
    return pod.get();
  }

  /** The argument vector sent: env assignments first, stdin bounded by its length. */
  static List<String> argv(Command c) {
    List<String> argv = new ArrayList<>();
    if (c.stdin() != null) {
      argv.addAll(
          List.of(
              "sh",
              "-c",
              BOUNDED_STDIN,
              "sh",
              Integer.toString(c.stdin().getBytes(StandardCharsets.UTF_8).length)));
    }
    if (!c.env().isEmpty()) {
      argv.add("env");
      for (Map.Entry<String, String> e : c.env().entrySet()) {
        argv.add(e.getKey() + "=" + e.getValue());
      }
    }
    argv.addAll(c.argv());
    return argv;
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
    String target = pod.get();
    try {
      return exec(c, target);
    } catch (PodGone e) {
      Optional<String> next = resolver.get();
      if (next.isPresent() && !next.get().equals(target)) {
        pod.compareAndSet(target, next.get());
        return exec(c, next.get());
      }
      throw new ShellException(
          "cannot exec `" + c.display() + "`: pod " + namespace + "/" + target + " is gone");
    }
  }

  /** The pod answered 404 to the exec. */
  private static final class PodGone extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  private CommandResult exec(Command c, String target) {
    AtomicReference<Status> status = new AtomicReference<>();
    long t0 = clock.monotonicTime();
    var op = client.pods().inNamespace(namespace).withName(target);
    ExecListener listener =
        new ExecListener() {
          @Override
          public void onExit(int code, Status s) {
            status.set(s);
          }

          @Override
          public void onClose(int code, String reason) {}
        };
    try (ExecWatch w =
        (c.stdin() == null ? op.redirectingOutput() : op.redirectingInput().redirectingOutput())
            .redirectingError()
            .usingListener(listener)
            .exec(argv(c).toArray(String[]::new))) {
      CompletableFuture<byte[]> out = readAll(w.getOutput());
      CompletableFuture<byte[]> err = readAll(w.getError());
      if (c.stdin() != null) {
        OutputStream in = w.getInput();
        in.write(c.stdin().getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      Integer code = w.exitCode().get(c.timeout().toMillis(), TimeUnit.MILLISECONDS);
      String stdout = text(out);
      String stderr = text(err);
      if (code == null) {
        throw new ShellException(
            "the exec stream of `"
                + c.display()
                + "` in pod "
                + namespace
                + "/"
                + target
                + " closed without an exit status (the API server or the kubelet ended it)");
      }
      Status s = status.get();
      if (code < 0 && s != null) {
        String msg = s.getMessage() == null ? String.valueOf(s.getReason()) : s.getMessage();
        if (msg.contains("executable file not found")
            || msg.contains("no such file or directory")) {
          throw new MissingToolException(
              c.program(), Packages.providing(c.program()) + " (in the probe image)");
        }
        throw new ShellException(
            "cannot exec `" + c.display() + "` in pod " + namespace + "/" + target + ": " + msg);
      }
      if (code == 127 && stderr.contains("not found")) {
        throw new MissingToolException(
            c.program(), Packages.providing(c.program()) + " (in the probe image)");
      }
      return new CommandResult(
          c.display(), code, stdout, stderr, Duration.ofNanos(clock.monotonicTime() - t0));
    } catch (TimeoutException e) {
      throw new CommandTimeoutException(c.display() + " in pod " + target, c.timeout());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ShellException("interrupted: " + c.display(), e);
    } catch (ExecutionException | IOException | KubernetesClientException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      if (gone(cause)) {
        throw new PodGone();
      }
      throw new ShellException(
          "cannot exec `"
              + c.display()
              + "` in pod "
              + namespace
              + "/"
              + target
              + ": "
              + cause.getMessage(),
          cause);
    }
  }

  private static boolean gone(Throwable t) {
    for (Throwable x = t; x != null; x = x.getCause()) {
      if (x instanceof KubernetesClientException k && k.getCode() == 404) {
        return true;
      }
      if (x instanceof WebSocketHandshakeException w
          && w.getResponse() != null
          && w.getResponse().code() == 404) {
        return true;
      }
    }
    return false;
  }

  /**
   * Everything a stream delivers until it ends. fabric8 ends a redirected stream with an error when
   * the process exited non-zero: what came before it is kept.
   */
  private static CompletableFuture<byte[]> readAll(InputStream s) {
    return CompletableFuture.supplyAsync(
        () -> {
          java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
          byte[] buf = new byte[16 * 1024];
          try (InputStream in = s) {
            int n;
            while ((n = in.read(buf)) >= 0) {
              out.write(buf, 0, n);
            }
          } catch (IOException | KubernetesClientException e) {
            // the end of the stream, told as an error after a non-zero exit
          }
          return out.toByteArray();
        },
        READERS);
  }

  /** A stream's text once the process ended (the streams end with it). */
  private static String text(CompletableFuture<byte[]> f) throws InterruptedException {
    try {
      return new String(f.get(30, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    } catch (ExecutionException | TimeoutException e) {
      return "";
    }
  }

  @Override
  public String describe() {
    return "pod " + namespace + "/" + pod.get();
  }
}
