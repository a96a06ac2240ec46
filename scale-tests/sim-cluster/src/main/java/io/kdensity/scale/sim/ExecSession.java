package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One exec stream, server side, speaking {@link ExecProtocol}: the process's stdout and stderr go
 * out on channels 1 and 2 as they come, stdin frames go to the process as they arrive, and when the
 * process ends its status goes out on channel 3 and the server closes the socket.
 *
 * <p>As on v4 everywhere, stdin is never closed while the client is connected: an empty stdin frame
 * is no data, not the end of it. When the client closes the socket, the process's stdin is closed
 * (the kubelet's stream copy ends); a process still running 2 s later is killed. A real kubelet
 * leaves it running in the container; the simulated node must not keep processes nobody waits for.
 */
final class ExecSession extends WebSocketListener {
  /** Bytes per output frame: what the kubelet's copy loop reads at a time. */
  static final int CHUNK = 32 * 1024;

  private final ContainerExec runtime;
  private final Pod pod;
  private final String container;
  private final List<String> argv;
  private final boolean stdin;
  private final ExecutorService pumps;

  /** stdin frames in arrival order, written by one pump (never on the server's event loop). */
  private final BlockingQueue<byte[]> stdinFrames = new LinkedBlockingQueue<>();

  private static final byte[] END = new byte[0];
  private volatile Process process;
  private volatile boolean clientGone;

  ExecSession(
      ContainerExec runtime,
      Pod pod,
      String container,
      List<String> argv,
      boolean stdin,
      ExecutorService pumps) {
    this.runtime = runtime;
    this.pod = pod;
    this.container = container;
    this.argv = argv;
    this.stdin = stdin;
    this.pumps = pumps;
  }

  @Override
  public void onOpen(WebSocket ws, Response response) {
    // off the event loop: starting a process forks, and sends below wait for their writes
    pumps.execute(() -> run(ws));
  }

  private void run(WebSocket ws) {
    ContainerExec.Start start;
    try {
      start = runtime.exec(pod, container, argv, stdin);
    } catch (RuntimeException e) {
      start = new ContainerExec.Start.Refused(String.valueOf(e.getMessage()));
    }
    if (start instanceof ContainerExec.Start.Refused r) {
      ws.send(ExecProtocol.status(ExecProtocol.notStarted(r.runtimeMessage())));
      ws.close(1000, "");
      return;
    }
    Process p = ((ContainerExec.Start.Started) start).process();
    process = p;
    if (clientGone) {
      stop(p);
      return;
    }
    if (stdin) {
      pumps.execute(() -> feed(p.getOutputStream()));
    }
    CompletableFuture<Void> out =
        CompletableFuture.runAsync(() -> pump(p.getInputStream(), ExecProtocol.STDOUT, ws), pumps);
    CompletableFuture<Void> err =
        CompletableFuture.runAsync(() -> pump(p.getErrorStream(), ExecProtocol.STDERR, ws), pumps);
    int code;
    try {
      code = p.waitFor();
      CompletableFuture.allOf(out, err).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
      return;
    } catch (Exception e) {
      code = p.exitValue();
    }
    if (!clientGone) {
      ws.send(
          ExecProtocol.status(
              code == 0 ? ExecProtocol.success() : ExecProtocol.exited(code, argv)));
      ws.close(1000, "");
    }
  }

  private void pump(InputStream from, int channel, WebSocket ws) {
    byte[] buf = new byte[CHUNK];
    try (InputStream in = from) {
      int n;
      while ((n = in.read(buf)) > 0) {
        if (!clientGone) {
          ws.send(ExecProtocol.frame(channel, buf, n));
        }
      }
    } catch (IOException e) {
      // the process or the socket went away
    }
  }

  /** Writes stdin frames to the process as they come, until the client goes. */
  private void feed(OutputStream in) {
    try {
      while (true) {
        byte[] data = stdinFrames.take();
        if (data == END) {
          return;
        }
        in.write(data);
        in.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // the process closed its stdin: later frames have nowhere to go
    }
  }

  @Override
  public void onMessage(WebSocket ws, byte[] bytes) {
    if (bytes.length < 1 || bytes[0] != ExecProtocol.STDIN || !stdin) {
      return; // resize frames, and stdin of a session without it
    }
    if (bytes.length == 1) {
      return; // v4: an empty frame is no data, never the end of stdin
    }
    stdinFrames.add(Arrays.copyOfRange(bytes, 1, bytes.length));
  }

  @Override
  public void onClosing(WebSocket ws, int code, String reason) {
    gone();
  }

  @Override
  public void onClosed(WebSocket ws, int code, String reason) {
    gone();
  }

  @Override
  public void onFailure(WebSocket ws, Throwable t, Response response) {
    gone();
  }

  /** The client closed its side: stdin ends, and what still runs is stopped. */
  private void gone() {
    if (clientGone) {
      return;
    }
    clientGone = true;
    stdinFrames.add(END);
    Process p = process;
    if (p != null) {
      pumps.execute(() -> stop(p));
    }
  }

  private static void stop(Process p) {
    try {
      p.getOutputStream().close();
    } catch (IOException e) {
      // already closed
    }
    try {
      if (!p.waitFor(2, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
  }
}
