package io.kdensity.tuning.apply;

import java.util.Objects;

/**
 * One change a profile makes.
 *
 * @param kind {@code sysctl} or {@code nic}
 * @param namespace network namespace name, or {@code ""} for the node's root namespace
 * @param target sysctl key, or device name for NIC settings
 * @param setting for NIC settings the setting ({@code rings.rx}, {@code mtu}…), else {@code ""}
 * @param previous the value before the change, as read from the node
 * @param applied the value the profile sets
 */
public record JournalEntry(
    String kind, String namespace, String target, String setting, String previous, String applied) {
  public JournalEntry {
    Objects.requireNonNull(kind);
    namespace = namespace == null ? "" : namespace;
    setting = setting == null ? "" : setting;
    Objects.requireNonNull(previous);
    Objects.requireNonNull(applied);
  }

  /** For messages: {@code net.core.rmem_max} or {@code kd-r1-up0 mtu} plus where. */
  public String describe() {
    String what = setting.isEmpty() ? target : target + " " + setting;
    return what + (namespace.isEmpty() ? "" : " (netns " + namespace + ")");
  }
}
