package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Pod Security admission ({@code k8s.io/pod-security-admission}), enforce mode: a namespace's
 * {@code pod-security.kubernetes.io/enforce} label picks the level (privileged, baseline,
 * restricted), the cluster's default applies to namespaces without it, and a pod that violates the
 * level is refused with the checks it failed, in the admission's words.
 */
final class PodSecurity {
  static final String ENFORCE_LABEL = "pod-security.kubernetes.io/enforce";

  /** The levels, loosest first. */
  enum Level {
    PRIVILEGED,
    BASELINE,
    RESTRICTED;

    static Level of(String label) {
      for (Level l : values()) {
        if (l.label().equals(label)) {
          return l;
        }
      }
      throw new IllegalArgumentException(
          "unknown Pod Security level '" + label + "': privileged, baseline or restricted");
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** The sysctls baseline allows (the check's list as of v1.29). */
  static final List<String> SAFE_SYSCTLS =
      List.of(
          "kernel.shm_rmid_forced",
          "net.ipv4.ip_local_port_range",
          "net.ipv4.ip_unprivileged_port_start",
          "net.ipv4.tcp_syncookies",
          "net.ipv4.ping_group_range",
          "net.ipv4.ip_local_reserved_ports",
          "net.ipv4.tcp_keepalive_time",
          "net.ipv4.tcp_fin_timeout",
          "net.ipv4.tcp_keepalive_intvl",
          "net.ipv4.tcp_keepalive_probes");

  private PodSecurity() {}

  /** What {@code pod} violates at {@code level}, each as the admission words it; empty if none. */
  static List<String> violations(Pod pod, Level level) {
    List<String> out = new ArrayList<>();
    if (level == Level.PRIVILEGED) {
      return out;
    }
    var spec = pod.getSpec();
    List<String> hostNs = new ArrayList<>();
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      hostNs.add("hostNetwork=true");
    }
    if (Boolean.TRUE.equals(spec.getHostPID())) {
      hostNs.add("hostPID=true");
    }
    if (Boolean.TRUE.equals(spec.getHostIPC())) {
      hostNs.add("hostIPC=true");
    }
    if (!hostNs.isEmpty()) {
      out.add("host namespaces (" + String.join(", ", hostNs) + ")");
    }
    List<Container> containers = new ArrayList<>(spec.getContainers());
    if (spec.getInitContainers() != null) {
      containers.addAll(spec.getInitContainers());
    }
    List<String> privileged = new ArrayList<>();
    for (Container c : containers) {
      SecurityContext sc = c.getSecurityContext();
      if (sc != null && Boolean.TRUE.equals(sc.getPrivileged())) {
        privileged.add(
            "container \"" + c.getName() + "\" must not set securityContext.privileged=true");
      }
    }
    if (!privileged.isEmpty()) {
      out.add("privileged (" + String.join("; ", privileged) + ")");
    }
    if (spec.getVolumes() != null) {
      List<String> hostPaths =
          spec.getVolumes().stream()
              .filter(v -> v.getHostPath() != null)
              .map(Volume::getName)
              .map(n -> "\"" + n + "\"")
              .toList();
      if (!hostPaths.isEmpty()) {
        out.add(
            "hostPath volumes (volume"
                + (hostPaths.size() > 1 ? "s " : " ")
                + String.join(", ", hostPaths)
                + ")");
      }
    }
    PodSecurityContext psc = spec.getSecurityContext();
    if (psc != null && psc.getSysctls() != null) {
      List<String> forbidden =
          psc.getSysctls().stream()
              .map(Sysctl::getName)
              .filter(n -> !SAFE_SYSCTLS.contains(n))
              .toList();
      if (!forbidden.isEmpty()) {
        out.add("forbidden sysctls (" + String.join(", ", forbidden) + ")");
      }
    }
    if (level == Level.RESTRICTED) {
      List<String> escalation = new ArrayList<>();
      List<String> caps = new ArrayList<>();
      for (Container c : containers) {
        SecurityContext sc = c.getSecurityContext();
        if (sc == null || !Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
          escalation.add(
              "container \""
                  + c.getName()
                  + "\" must set securityContext.allowPrivilegeEscalation=false");
        }
        if (sc == null
            || sc.getCapabilities() == null
            || sc.getCapabilities().getDrop() == null
            || !sc.getCapabilities().getDrop().contains("ALL")) {
          caps.add(
              "container \""
                  + c.getName()
                  + "\" must set securityContext.capabilities.drop=[\"ALL\"]");
        }
      }
      if (!escalation.isEmpty()) {
        out.add("allowPrivilegeEscalation != false (" + String.join("; ", escalation) + ")");
      }
      if (!caps.isEmpty()) {
        out.add("unrestricted capabilities (" + String.join("; ", caps) + ")");
      }
      if (psc == null || !Boolean.TRUE.equals(psc.getRunAsNonRoot())) {
        out.add("runAsNonRoot != true (pod must set securityContext.runAsNonRoot=true)");
      }
      if (psc == null || psc.getSeccompProfile() == null) {
        out.add(
            "seccompProfile (pod must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
      }
    }
    return out;
  }

  /** The refusal: {@code violates PodSecurity "baseline:latest": …}. */
  static String refusal(Level level, List<String> violations) {
    return "violates PodSecurity \""
        + level.label()
        + ":latest\": "
        + String.join(", ", violations);
  }
}
