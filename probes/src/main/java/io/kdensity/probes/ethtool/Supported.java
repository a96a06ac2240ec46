package io.kdensity.probes.ethtool;

import java.util.Objects;

/**
 * A value a device may or may not support.
 *
 * @param value the value, or {@code null} if not supported
 * @param reason why not (the tool's words), or {@code null} if supported
 */
public record Supported<T>(T value, String reason) {
  public Supported {
    if ((value == null) == (reason == null)) {
      throw new IllegalArgumentException("exactly one of value and reason must be set");
    }
  }

  public static <T> Supported<T> yes(T value) {
    return new Supported<>(Objects.requireNonNull(value), null);
  }

  public static <T> Supported<T> no(String reason) {
    return new Supported<>(null, reason);
  }

  public boolean supported() {
    return value != null;
  }
}
