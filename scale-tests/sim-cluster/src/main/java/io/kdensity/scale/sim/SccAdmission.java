package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Sysctl;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenShift's SecurityContextConstraints admission ({@code openshift/apiserver-library-go}
 * sccadmission), for the constraints that decide kdensity's pods: host network, host PID,
 * privileged containers and unsafe sysctls. A pod is admitted by the most restrictive SCC that
 * allows it and that the requesting user or the pod's service account may {@code use} (RBAC on
 * {@code securitycontextconstraints} in {@code security.openshift.io}), and is annotated {@code
 * openshift.io/scc} with its name; otherwise it is refused with each provider's reason, in
 * OpenShift's words.
 */
final class SccAdmission {
  static final String ANNOTATION = "openshift.io/scc";

  /** One SCC: what it allows of the constraints modelled. */
  record Scc(
      String name,
      boolean hostNetwork,
      boolean hostPid,
      boolean privileged,
      boolean unsafeSysctls) {}

  /** OpenShift 4.x's default SCCs, most restrictive first (the order admission tries them). */
  static final List<Scc> DEFAULTS =
      List.of(
          new Scc("restricted-v2", false, false, false, false),
          new Scc("anyuid", false, false, false, false),
          new Scc("hostnetwork-v2", true, false, false, false),
          new Scc("privileged", true, true, true, true));

  private final Rbac rbac;

  SccAdmission(Rbac rbac) {
    this.rbac = rbac;
  }

  /**
   * @return the SCC that admits the pod, or the refusal's reasons
   */
  Admitted admit(Pod pod, String user) {
    String ns = pod.getMetadata().getNamespace();
    String sa =
        pod.getSpec().getServiceAccountName() == null
            ? "default"
            : pod.getSpec().getServiceAccountName();
    List<String> reasons = new ArrayList<>();
    for (Scc scc : DEFAULTS) {
      boolean usable =
          Identities.isAdmin(user)
              || rbac.allows(
                  Rbac.asServiceAccount(
                      ns,
                      sa,
                      "use",
                      "security.openshift.io",
                      "securitycontextconstraints",
                      scc.name()));
      if (!usable) {
        reasons.add(
            "provider \"" + scc.name() + "\": Forbidden: not usable by user or serviceaccount");
        continue;
      }
      List<String> problems = problems(pod, scc);
      if (problems.isEmpty()) {
        return new Admitted(Optional.of(scc.name()), List.of());
      }
      problems.forEach(p -> reasons.add("provider " + scc.name() + ": " + p));
    }
    return new Admitted(Optional.empty(), reasons);
  }

  /** The outcome: the admitting SCC, or why none did. */
  record Admitted(Optional<String> scc, List<String> reasons) {
    String refusal() {
      return "unable to validate against any security context constraint: ["
          + String.join(", ", reasons)
          + "]";
    }
  }

  static List<String> problems(Pod pod, Scc scc) {
    List<String> out = new ArrayList<>();
    var spec = pod.getSpec();
    if (Boolean.TRUE.equals(spec.getHostNetwork()) && !scc.hostNetwork()) {
      out.add(
          ".spec.securityContext.hostNetwork: Invalid value: true: Host network is not allowed to be used");
    }
    if (Boolean.TRUE.equals(spec.getHostPID()) && !scc.hostPid()) {
      out.add(
          ".spec.securityContext.hostPID: Invalid value: true: Host PID is not allowed to be used");
    }
    List<Container> cs = spec.getContainers();
    for (int i = 0; i < cs.size(); i++) {
      var sc = cs.get(i).getSecurityContext();
      if (sc != null && Boolean.TRUE.equals(sc.getPrivileged()) && !scc.privileged()) {
        out.add(
            ".containers["
                + i
                + "].privileged: Invalid value: true: Privileged containers are not allowed");
      }
    }
    if (!scc.unsafeSysctls()
        && spec.getSecurityContext() != null
        && spec.getSecurityContext().getSysctls() != null) {
      for (Sysctl s : spec.getSecurityContext().getSysctls()) {
        if (!PodSecurity.SAFE_SYSCTLS.contains(s.getName())) {
          out.add(
              ".spec.securityContext.sysctls["
                  + s.getName()
                  + "]: Forbidden: unsafe sysctl \""
                  + s.getName()
                  + "\" is not allowed");
        }
      }
    }
    return out;
  }
}
