package io.kdensity.reports.json;

import io.kdensity.reports.model.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Writes and reads {@code summary.json}. */
public final class SummaryJson {
  public static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(SerializationFeature.INDENT_OUTPUT)
          // metric, snapshot and sysctl maps by name: two summaries diff line by line
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .build();

  private SummaryJson() {}

  /** Writes the summary atomically (a reader never sees half a file). */
  public static Path write(RunSummary s, Path dir) {
    try {
      Files.createDirectories(dir);
      Path tmp = dir.resolve("summary.json.tmp");
      Path file = dir.resolve("summary.json");
      Files.write(tmp, MAPPER.writeValueAsBytes(s));
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write " + dir.resolve("summary.json") + ": " + e.getMessage(), e);
    }
  }

  /** A summary that cannot be used, with why. */
  public static final class BadSummaryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BadSummaryException(String message) {
      super(message);
    }
  }

  /**
   * Reads a summary, checking its schema version first.
   *
   * @throws BadSummaryException naming the file and the problem (missing, corrupt, other schema)
   */
  public static RunSummary read(Path file) {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new BadSummaryException(file + ": no such file");
    } catch (IOException e) {
      throw new BadSummaryException(file + ": cannot read: " + e.getMessage());
    } catch (JacksonException e) {
      throw new BadSummaryException(file + ": not valid JSON (" + e.getOriginalMessage() + ")");
    }
    if (!tree.has("schemaVersion")) {
      throw new BadSummaryException(file + ": not a kdensity summary (no schemaVersion)");
    }
    int v = tree.get("schemaVersion").asInt();
    if (v != RunSummary.SCHEMA_VERSION) {
      throw new BadSummaryException(
          file
              + ": schemaVersion "
              + v
              + " is not supported (this kdensity reads "
              + RunSummary.SCHEMA_VERSION
              + "); re-run the ramp or use the matching kdensity version");
    }
    try {
      return MAPPER.treeToValue(tree, RunSummary.class);
    } catch (JacksonException e) {
      throw new BadSummaryException(
          file + ": does not match schema " + v + " (" + e.getOriginalMessage() + ")");
    }
  }
}
