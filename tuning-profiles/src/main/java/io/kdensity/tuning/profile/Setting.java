package io.kdensity.tuning.profile;

import java.util.Objects;

/**
 * One value with the reason it is set, and where it was written.
 *
 * @param key sysctl key or NIC setting name
 * @param value the value as the kernel prints it (vectors space-separated)
 * @param reason one line: why this value
 * @param origin {@code file:line}, or the profile it was inherited from
 */
public record Setting(String key, String value, String reason, String origin) {
  public Setting {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    reason = reason == null ? "" : reason;
    origin = origin == null ? "" : origin;
  }
}
