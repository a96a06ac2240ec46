package io.kdensity.config.yaml;

/**
 * One problem in a configuration file.
 *
 * @param file the file as the user named it
 * @param line 1-based line, 0 if the problem is about the whole file
 * @param message what is wrong and, where possible, how to fix it
 */
public record ConfigError(String file, int line, String message) {
  @Override
  public String toString() {
    return file + (line > 0 ? ":" + line : "") + ": " + message;
  }
}
