package io.kdensity.scale.targets;

import io.kdensity.probes.finding.Cause;
import io.kdensity.probes.finding.Evidence;
import io.kdensity.probes.finding.Finding;
import io.kdensity.probes.finding.Severity;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The one place that says why an attachment failed, from the message a CNI plugin (locally) or the
 * kubelet and runtime (on a cluster, through Multus) reported. The patterns are the wording of the
 * reference implementations: containernetworking/plugins (bridge, macvlan, host-local, static),
 * libcni and Multus, the kubelet's admission and the scheduler.
 */
public final class AttachFailures {
  private AttachFailures() {}

  /** What a target reports for a pod Ready without all its interfaces in network-status. */
  public static final String NETWORK_STATUS_MISSING =
      "Ready without all its interfaces in network-status";

  /** A pattern of a failure message and the cause it shows, in order of precedence. */
  private record Rule(Pattern pattern, Cause cause) {}

  private static final List<Rule> RULES =
      List.of(
          // bridge plugin: netlink.LinkSetMaster on a bridge with BR_MAX_PORTS ports → EXFULL
          rule("exchange full", Cause.BRIDGE_FULL),
          // the API server's 429 (API Priority and Fairness, max-requests-inflight)
          rule("too many requests|\\b429\\b|throttl|rate limit", Cause.API_THROTTLED),
          // whereabouts: its IPPool update or leader election ran out of time
          rule(
              "(whereabouts|error at storage engine).*(deadline|timed out|timeout|leader|lock)",
              Cause.IPAM_CONTENTION),
          // the kubelet's RunPodSandbox deadline (the runtime's CNI ADD took longer)
          rule("context deadline exceeded|deadlineexceeded", Cause.SANDBOX_DEADLINE),
          // host-local: "no IP addresses available in range set"; whereabouts: "could not allocate"
          rule(
              "no ip addresses available|range set .* is full|could not allocate ip",
              Cause.IPAM_EXHAUSTED),
          rule(
              "address already in use|already allocated|is not available in range set",
              Cause.ADDRESS_IN_USE),
          // kubelet admission (pod status reason SysctlForbidden)
          rule("sysctlforbidden|forbidden sysctl|unsafe sysctl", Cause.SYSCTL_FORBIDDEN),
          // kubelet admission (pod status reason OutOfpods), scheduler "Too many pods"
          rule("outofpods|too many pods", Cause.NODE_POD_LIMIT),
          rule(
              "unschedulable|didn't match pod's node affinity|node\\(s\\) had untolerated taint",
              Cause.UNSCHEDULABLE),
          // kdensity's own message for a pod Multus left without all its interfaces
          rule(
              Pattern.quote(NETWORK_STATUS_MISSING.toLowerCase(Locale.ROOT)),
              Cause.NETWORK_STATUS_MISSING),
          // kdensity's own message for a pod that neither became Ready nor reported a failure
          rule("not ready in time", Cause.NOT_READY_IN_TIME),
          // libcni: failed to find plugin "x" in path; macvlan: failed to lookup master; Multus:
          // cannot find a network-attachment-definition
          rule(
              "failed to find plugin|failed to lookup master|link not found|no such file or directory|cannot find a network-attachment-definition|not found in \\[",
              Cause.PLUGIN_MISCONFIGURED));

  private static Rule rule(String regex, Cause cause) {
    return new Rule(Pattern.compile(regex), cause);
  }

  /** The cause a failure message shows; {@link Cause#PLUGIN_ERROR} when nothing matches. */
  public static Cause classify(String message) {
    String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
    for (Rule r : RULES) {
      if (r.pattern().matcher(m).find()) {
        return r.cause();
      }
    }
    return Cause.PLUGIN_ERROR;
  }

  /**
   * The failures of one scale change, folded into one finding per network and cause, each with up
   * to ten examples (pod, interface, message) as evidence. Thread-safe.
   */
  public static final class Log {
    /** Examples kept per finding. */
    static final int EXAMPLES = 10;

    private record Key(String network, String kind, Cause cause) {}

    private record Failure(String pod, String ifname, String message) {}

    private final Map<Key, List<Failure>> byKey =
        Collections.synchronizedMap(new LinkedHashMap<>());

    /**
     * @param network the attachment's name
     * @param kind its CNI type (or "multus" on a cluster)
     */
    public void add(String network, String kind, String pod, String ifname, String message) {
      Key k = new Key(network, kind, classify(message));
      byKey
          .computeIfAbsent(k, x -> Collections.synchronizedList(new ArrayList<>()))
          .add(new Failure(pod, ifname, message));
    }

    public boolean isEmpty() {
      return byKey.isEmpty();
    }

    public List<Finding> findings() {
      List<Finding> out = new ArrayList<>();
      synchronized (byKey) {
        byKey.forEach(
            (k, list) -> {
              List<Evidence> ev = new ArrayList<>();
              for (Failure f : list.subList(0, Math.min(EXAMPLES, list.size()))) {
                ev.add(Evidence.observed("pod " + f.pod() + " " + f.ifname(), f.message()));
              }
              String first = list.get(0).message();
              String msg =
                  k.cause() == Cause.BRIDGE_FULL
                      ? String.format(
                          "%,d attaches to %s failed: the bridge is full (1,023 ports): %s",
                          list.size(), k.network(), first)
                      : String.format(
                          "%,d attaches to %s (%s) failed: %s",
                          list.size(), k.network(), k.kind(), first);
              out.add(
                  Finding.of(Severity.CRITICAL, k.cause(), "network " + k.network(), msg, ev)
                      .from(Finding.TARGET));
            });
      }
      return out;
    }
  }
}
