package io.kdensity.scale.cli;

/**
 * The user asked for something the command cannot do (a bad option value, a missing input folder):
 * exit 2 with the message. An {@link IllegalArgumentException} is reserved for broken invariants
 * inside kdensity, which exit 4 as internal errors.
 */
public final class UsageError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public UsageError(String message) {
    super(message);
  }

  public UsageError(String message, Throwable cause) {
    super(message, cause);
  }
}
