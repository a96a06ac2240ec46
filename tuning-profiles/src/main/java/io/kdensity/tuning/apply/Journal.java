package io.kdensity.tuning.apply;

import io.kdensity.config.yaml.ConfigError;
import io.kdensity.config.yaml.ConfigException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.json.JsonMapper;

/**
 * The on-disk record of the values a profile replaced, written (and synced) before the first
 * change, so a crash at any point can be undone with {@link ProfileApplier#revert}.
 *
 * @param profile the profile applied
 * @param startedAt ISO time of the apply
 * @param pid process that applied it
 * @param target where the values live (this machine or a cluster node)
 * @param entries the changes, in the order they are applied
 */
public record Journal(
    String profile, String startedAt, long pid, JournalTarget target, List<JournalEntry> entries) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  public Journal {
    entries = List.copyOf(entries);
    target = target == null ? JournalTarget.LOCAL : target; // journals before targets were local
  }

  /** Default folder for journals: survives the process, read by {@code profile revert}. */
  public static Path defaultDir() {
    String env = System.getenv("KDENSITY_JOURNAL_DIR");
    return Path.of(env != null && !env.isBlank() ? env : "/var/lib/kdensity/journal");
  }

  /** Writes the journal atomically and syncs it to disk. */
  public void write(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write the tuning journal " + file + ": " + e.getMessage(), e);
    }
  }

  public static Journal read(Path file) {
    try {
      return JSON.readValue(Files.readAllBytes(file), Journal.class);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read the tuning journal " + file + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      // the user's file (profile revert --journal): bad input, named with its path
      throw new ConfigException(
          List.of(
              new ConfigError(
                  file.toString(), 0, "the tuning journal is corrupt: " + e.getMessage())));
    }
  }

  /**
   * The process that applied this journal, if it is still running: then the journal is not a
   * leftover but the live state of another run (started no later than the journal, so a reused pid
   * does not count).
   */
  public Optional<ProcessHandle> liveOwner() {
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .filter(
            h -> {
              try {
                Instant at = Instant.parse(startedAt);
                return h.info().startInstant().map(s -> !s.isAfter(at)).orElse(true);
              } catch (DateTimeParseException e) {
                return true;
              }
            });
  }

  /** Journals left in {@code dir} (by crashed runs, or an applied profile not yet reverted). */
  public static List<Path> pending(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (var s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".journal.json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
