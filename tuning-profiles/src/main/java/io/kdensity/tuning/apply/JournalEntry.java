package io.kdensity.tuning.apply;

import io.kdensity.tuning.profile.NicSetting;
import java.util.Objects;

/**
 * One change a profile makes.
 *
 * @param kind a sysctl or a NIC setting
 * @param namespace network namespace name, or {@code ""} for the node's root namespace
 * @param target sysctl key, or device name for NIC settings
 * @param setting for NIC settings the setting ({@code rings.rx}, {@code mtu}…), else null
 * @param previous the value before the change, as read from the node
 * @param applied the value the profile sets
 */
public record JournalEntry(
    Kind kind,
    String namespace,
    String target,
    NicSetting setting,
    String previous,
    String applied) {

  /** What an entry changes. */
  public enum Kind {
    SYSCTL,
    NIC
  }

  public JournalEntry {
    Objects.requireNonNull(kind);
    namespace = namespace == null ? "" : namespace;
    if ((kind == Kind.NIC) != (setting != null)) {
      throw new IllegalArgumentException("a NIC entry, and only a NIC entry, names its setting");
    }
    Objects.requireNonNull(previous);
    Objects.requireNonNull(applied);
  }

  /** For messages: {@code net.core.rmem_max} or {@code kd-r1-up0 mtu} plus where. */
  public String describe() {
    String what = setting == null ? target : target + " " + setting.key();
    return what + (namespace.isEmpty() ? "" : " (netns " + namespace + ")");
  }
}
