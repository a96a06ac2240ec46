package io.kdensity.scale.targets.kube;

import java.util.Map;

/**
 * Labels that let a run's namespace hold its privileged pods (the probe DaemonSet, the restore
 * pod): Pod Security admission's {@code enforce: privileged}, and on OpenShift the opt-out of the
 * label syncer that would otherwise overwrite it to restricted.
 */
final class PodSecurity {
  private PodSecurity() {}

  static final Map<String, String> PRIVILEGED =
      Map.of(
          "pod-security.kubernetes.io/enforce", "privileged",
          "pod-security.kubernetes.io/audit", "privileged",
          "pod-security.kubernetes.io/warn", "privileged",
          "security.openshift.io/scc.podSecurityLabelSync", "false");
}
