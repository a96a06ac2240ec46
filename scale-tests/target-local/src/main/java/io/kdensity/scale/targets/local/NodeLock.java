package io.kdensity.scale.targets.local;

import io.kdensity.scale.targets.InfrastructureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One kdensity process at a time owns this node: a local run (the neighbour tables, gc_thresh
 * sysctls, softnet counters and rtnl are node-wide, so two runs would fill and measure each other's
 * tables) or a cleanup (which must not remove a run that is starting). An advisory lock on a file
 * under {@code /run/kdensity} (override: {@code KDENSITY_RUN_DIR}), released by the kernel when the
 * process ends, also after kill -9. The file names the holder, so a refused process can say who it
 * waits for and a cleanup knows which run is alive.
 */
public final class NodeLock implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  static final String FILE = "local-node.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private NodeLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Who holds the node.
   *
   * @param activity {@code run} or {@code cleanup}
   * @param runId the run's id (empty for a cleanup)
   * @param plan the run's plan (empty for a cleanup)
   * @param since when it took the node (ISO, seconds)
   * @param pid its process
   */
  public record Holder(String activity, String runId, String plan, String since, long pid) {
    public static Holder run(String runId, String plan, Instant since) {
      return new Holder(
          "run",
          runId,
          plan,
          since.truncatedTo(ChronoUnit.SECONDS).toString(),
          ProcessHandle.current().pid());
    }

    public static Holder cleanup(Instant since) {
      return new Holder(
          "cleanup",
          "",
          "",
          since.truncatedTo(ChronoUnit.SECONDS).toString(),
          ProcessHandle.current().pid());
    }

    public boolean isRun() {
      return "run".equals(activity);
    }

    /** "run ab12cd, plan default, since 2026-11-26T07:00:00Z, pid 4711". */
    public String describe() {
      return isRun()
          ? "run " + runId + ", plan " + plan + ", since " + since + ", pid " + pid
          : activity + ", since " + since + ", pid " + pid;
    }
  }

  /** The node is held by another process; {@link #holder()} is null if its file is unreadable. */
  public static final class NodeBusyException extends InfrastructureException {
    private static final long serialVersionUID = 1L;
    private final transient Holder holder;

    NodeBusyException(String message, Holder holder) {
      super(message);
      this.holder = holder;
    }

    public Holder holder() {
      return holder;
    }
  }

  /** Default folder of the lock file. */
  public static Path defaultDir() {
    String env = System.getenv("KDENSITY_RUN_DIR");
    return Path.of(env != null && !env.isBlank() ? env : "/run/kdensity");
  }

  /**
   * Takes the node for {@code holder}.
   *
   * @throws NodeBusyException naming the holder when another process has the node
   * @throws InfrastructureException if the lock file cannot be written
   */
  public static NodeLock acquire(Path dir, Holder holder) {
    Path file = dir.resolve(FILE);
    FileChannel ch = null;
    try {
      Files.createDirectories(dir);
      ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l;
      try {
        l = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        l = null; // this process holds it already
      }
      if (l == null) {
        ch.close();
        Holder other = read(file);
        throw new NodeBusyException(
            "another kdensity "
                + (other == null ? "run" : other.activity())
                + " is using this node ("
                + (other == null ? "holder unknown" : other.describe())
                + "; lock "
                + file
                + "): wait for it to end — two runs on one node fill and measure each other's"
                + " node-wide tables",
            other);
      }
      ch.truncate(0);
      ch.write(ByteBuffer.wrap(JSON.writeValueAsBytes(holder)), 0);
      ch.force(false);
      return new NodeLock(ch, l);
    } catch (IOException e) {
      try {
        if (ch != null) {
          ch.close();
        }
      } catch (IOException ignored) {
        // the first error is the one to report
      }
      throw new InfrastructureException("cannot take the node lock " + file + ": " + e, e);
    }
  }

  /** The holder a lock file names, or null if it names none (empty, older format, unreadable). */
  private static Holder read(Path file) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? null : JSON.readValue(s, Holder.class);
    } catch (IOException | JacksonException e) {
      return null;
    }
  }

  @Override
  public void close() {
    try {
      channel.truncate(0);
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the kernel drops the lock with the process anyway
    }
  }
}
