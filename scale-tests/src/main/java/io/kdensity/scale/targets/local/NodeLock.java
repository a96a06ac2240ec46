package io.kdensity.scale.run;

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

/**
 * One local run per node: the neighbour tables, gc_thresh sysctls, softnet counters and rtnl are
 * node-wide, so two runs at once would fill and measure each other's tables. An advisory lock on a
 * file under {@code /run/kdensity} (override: {@code KDENSITY_RUN_DIR}), released by the kernel
 * when the process ends, also after kill -9. The file names the holder for the error message.
 */
public final class NodeLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private NodeLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Default folder of the lock file. */
  public static Path defaultDir() {
    String env = System.getenv("KDENSITY_RUN_DIR");
    return Path.of(env != null && !env.isBlank() ? env : "/run/kdensity");
  }

  /**
   * Takes the node's lock for {@code holder} (e.g. "run kd-ab12cd, plan default").
   *
   * @throws InfrastructureException naming the holder when another run has it
   */
  public static NodeLock acquire(Path dir, String holder) {
    Path file = dir.resolve("local-node.lock");
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
        l = null;
      }
      if (l == null) {
        String other = Files.readString(file, StandardCharsets.UTF_8).strip();
        ch.close();
        throw new InfrastructureException(
            "another kdensity run is using this node ("
                + (other.isEmpty() ? "holder unknown" : other)
                + "; lock "
                + file
                + "): wait for it to end — two runs on one node fill and measure each other's"
                + " node-wide tables");
      }
      ch.truncate(0);
      ch.write(
          ByteBuffer.wrap(
              (holder + ", pid " + ProcessHandle.current().pid() + "\n")
                  .getBytes(StandardCharsets.UTF_8)),
          0);
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
