package io.kdensity.scale.targets.local;

import io.kdensity.scale.targets.RunId;
import java.util.regex.Pattern;

/**
 * Names of everything a local run creates: {@code kd-<runid>-…}, at most 15 characters for
 * interfaces. {@link #OWNED} is the only pattern {@code cleanup} ever deletes.
 *
 * @param runId six lower-case letters or digits
 */
public record LocalNames(String runId) {
  /** Namespaces and links kdensity created: kd-, six characters of run id, a dash. */
  public static final Pattern OWNED = Pattern.compile("kd-[0-9a-z]{6}-.*");

  public LocalNames {
    new RunId(runId); // the one check of the form
  }

  public static LocalNames random() {
    return new LocalNames(RunId.random().value());
  }

  public String prefix() {
    return "kd-" + runId + "-";
  }

  public String node() {
    return prefix() + "node";
  }

  public String fabric() {
    return prefix() + "fab";
  }

  public String preflight() {
    return prefix() + "pre";
  }

  /** Node side of uplink k (the NIC port). */
  public String uplink(int k) {
    return prefix() + "up" + k;
  }

  /** Fabric side of uplink k (the switch port). */
  public String switchPort(int k) {
    return prefix() + "fu" + k;
  }

  /** The bridge playing the top-of-rack switch for uplink k. */
  public String tor(int k) {
    return prefix() + "tor" + k;
  }

  /** The namespace of the second advertising router of every uplink network. */
  public String secondRouter() {
    return prefix() + "rt2";
  }

  /** The second router's port on switch k (its fabric side). */
  public String secondRouterPort(int k) {
    return prefix() + "sp" + k;
  }

  /** The second router's interface toward switch k (in its own namespace). */
  public String secondRouterLink(int k) {
    return prefix() + "sr" + k;
  }

  /** A bridge-CNI network's bridge in the node. */
  public String bridge(int j) {
    return prefix() + "b" + j;
  }

  public String pod(int index) {
    return String.format("%sp%05d", prefix(), index);
  }

  /** The network namespace of sandbox number {@code seq} (sim-cluster: one per pod incarnation). */
  public String sandbox(long seq) {
    return String.format("%ss%05d", prefix(), seq);
  }
}
