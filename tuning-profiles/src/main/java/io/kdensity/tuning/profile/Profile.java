package io.kdensity.tuning.profile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A resolved tuning profile: inheritance already applied, every value validated.
 *
 * @param name profile name
 * @param description what it is for
 * @param parents the chain it extends, nearest first
 * @param sysctl node sysctls: node-wide keys go to the root namespace, per-namespace keys to the
 *     node's namespace
 * @param podSysctl sysctls of every pod's network namespace, applied when the pod is created (like
 *     Kubernetes {@code securityContext.sysctls} or the tuning CNI plugin)
 * @param nic NIC settings per interface glob
 * @param advisory hints reported to the user and never applied (kubelet maxPods, CPU reservation)
 * @param source the file it was loaded from
 */
public record Profile(
    String name,
    String description,
    List<String> parents,
    Map<String, Setting> sysctl,
    Map<String, Setting> podSysctl,
    List<NicSettings> nic,
    Map<String, Setting> advisory,
    String source) {

  public Profile {
    parents = List.copyOf(parents);
    sysctl = Collections.unmodifiableMap(new LinkedHashMap<>(sysctl));
    podSysctl = Collections.unmodifiableMap(new LinkedHashMap<>(podSysctl));
    nic = List.copyOf(nic);
    advisory = Collections.unmodifiableMap(new LinkedHashMap<>(advisory));
  }

  /** Number of settings that would be applied. */
  public int size() {
    return sysctl.size() + podSysctl.size() + nic.stream().mapToInt(n -> n.settings().size()).sum();
  }
}
