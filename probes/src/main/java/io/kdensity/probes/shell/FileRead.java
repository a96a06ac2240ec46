package io.kdensity.probes.shell;

import java.util.Objects;

/**
 * The outcome of reading one file in a batch: its content, or why it could not be read.
 *
 * @param path the file
 * @param content the content, or {@code null} if the read failed
 * @param error why the read failed, or {@code null}
 */
public record FileRead(String path, String content, String error) {
  public FileRead {
    Objects.requireNonNull(path, "path");
    if ((content == null) == (error == null)) {
      throw new IllegalArgumentException("exactly one of content and error must be set");
    }
  }

  public static FileRead ok(String path, String content) {
    return new FileRead(path, content, null);
  }

  public static FileRead failed(String path, String error) {
    return new FileRead(path, null, error);
  }

  public boolean isOk() {
    return content != null;
  }

  /** The content, or a {@link ShellException} naming the file and the reason. */
  public String require() {
    if (content == null) {
      throw new ShellException(error);
    }
    return content;
  }
}
