package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kdensity.scale.targets.PreflightException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a cluster before anything is created: the API answers, the NetworkAttachmentDefinition CRD
 * exists, every permission the run needs is granted (one SelfSubjectAccessReview each, every
 * missing one listed), the node exists and is Ready, it admits as many pods as the plan asks, and
 * its kubelet allows the unsafe pod sysctls of the profile.
 */
final class KubePreflight {
  static final String NAD_CRD = "network-attachment-definitions.k8s.cni.cncf.io";

  /**
   * One authorization check, as the API server's authorizer sees a request (group, resource,
   * subresource, verb; {@code k8s.io/apiserver/pkg/endpoints/request/requestinfo.go}).
   *
   * @param group API group, "" for the core group
   * @param namespaced checked in the run's namespace, or cluster-wide
   */
  record Permission(
      String group,
      String resource,
      String subresource,
      String verb,
      boolean namespaced,
      String name) {
    static Permission inRun(String group, String resource, String verb) {
      return of(group, resource, verb, true);
    }

    static Permission cluster(String group, String resource, String verb) {
      return of(group, resource, verb, false);
    }

    /** The same permission on one object only (a resourceNames rule). */
    Permission named(String objectName) {
      return new Permission(group, resource, subresource, verb, namespaced, objectName);
    }

    /** {@code resource} may name a subresource: "pods/exec". */
    private static Permission of(String group, String resource, String verb, boolean namespaced) {
      int slash = resource.indexOf('/');
      return slash < 0
          ? new Permission(group, resource, "", verb, namespaced, "")
          : new Permission(
              group,
              resource.substring(0, slash),
              resource.substring(slash + 1),
              verb,
              namespaced,
              "");
    }

    /** "get pods/exec", "use security.openshift.io/securitycontextconstraints privileged". */
    String describe() {
      return verb
          + " "
          + (group.isEmpty() ? "" : group + "/")
          + resource
          + (subresource.isEmpty() ? "" : "/" + subresource)
          + (name.isEmpty() ? "" : " " + name);
    }
  }

  /**
   * Every call a run, its cleanup and a restore make. Deleting by label is a {@code
   * deletecollection}; fabric8's {@code edit} is a {@code patch}; exec over WebSocket is authorised
   * as {@code get} on pods/exec (over SPDY as {@code create}): both are checked.
   */
  static final List<Permission> PERMISSIONS =
      List.of(
          Permission.cluster("", "namespaces", "create"),
          Permission.cluster("", "namespaces", "delete"),
          Permission.cluster("", "namespaces", "get"),
          Permission.cluster("", "namespaces", "list"),
          Permission.cluster("", "nodes", "get"),
          Permission.cluster("", "pods", "list"),
          Permission.inRun("", "pods", "create"),
          Permission.inRun("", "pods", "delete"),
          Permission.inRun("", "pods", "deletecollection"),
          Permission.inRun("", "pods", "get"),
          Permission.inRun("", "pods", "list"),
          Permission.inRun("", "pods", "watch"),
          Permission.inRun("", "pods/exec", "create"),
          Permission.inRun("", "pods/exec", "get"),
          Permission.inRun("", "events", "list"),
          Permission.inRun("", "events", "watch"),
          Permission.inRun("apps", "daemonsets", "create"),
          Permission.inRun("apps", "daemonsets", "deletecollection"),
          Permission.inRun("k8s.cni.cncf.io", "network-attachment-definitions", "create"),
          Permission.inRun("k8s.cni.cncf.io", "network-attachment-definitions", "deletecollection"),
          Permission.inRun("", "serviceaccounts", "create"),
          Permission.inRun("", "resourcequotas", "create"),
          Permission.inRun("coordination.k8s.io", "leases", "create"),
          Permission.inRun("coordination.k8s.io", "leases", "get"),
          Permission.inRun("coordination.k8s.io", "leases", "patch"),
          // the node's lease (NodeLease, in kdensity-system): taken over when stale, given back
          Permission.inRun("coordination.k8s.io", "leases", "update"),
          Permission.inRun("coordination.k8s.io", "leases", "delete"));

  /**
   * On OpenShift, to bind the probe's service account to the privileged SCC ({@link
   * ProbeServiceAccount}): creating the RoleBinding, and {@code use} of the SCC, without which RBAC
   * refuses to grant it.
   */
  static final List<Permission> OPENSHIFT =
      List.of(
          Permission.inRun("rbac.authorization.k8s.io", "rolebindings", "create"),
          Permission.cluster("security.openshift.io", "securitycontextconstraints", "use")
              .named("privileged"));

  /**
   * Used when granted, not required (without them preflight warns): reading the kubelet's
   * configuration through the node proxy to check its allowedUnsafeSysctls (rbac.yaml's optional
   * role), and listing whereabouts' IPPools to count the run's IPAM allocations in a soak.
   */
  static final List<Permission> OPTIONAL =
      List.of(
          Permission.cluster("", "nodes/proxy", "get"),
          Permission.cluster("whereabouts.cni.cncf.io", "ippools", "list"));

  private KubePreflight() {}

  /**
   * @param podSysctls the sysctls every pod of the run sets (a profile's podSysctl)
   * @return warnings: what could not be checked
   */
  static List<String> check(
      KubernetesClient client,
      String namespace,
      String nodeName,
      int maxPods,
      Map<String, String> podSysctls,
      boolean openshift) {
    List<String> missing = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    try {
      client.getKubernetesVersion();
    } catch (KubernetesClientException e) {
      throw new PreflightException(
          "kube target",
          List.of("API server " + client.getMasterUrl() + " is not reachable: " + e.getMessage()));
    }
    try {
      if (client.apiextensions().v1().customResourceDefinitions().withName(NAD_CRD).get() == null) {
        missing.add(
            "the NetworkAttachmentDefinition CRD ("
                + NAD_CRD
                + ") is not installed: install Multus (https://github.com/k8snetworkplumbingwg/multus-cni)");
      }
    } catch (KubernetesClientException e) {
      if (e.getCode() != 403) {
        throw e;
      }
      missing.add(
          "permission to get customresourcedefinitions (apiextensions.k8s.io), to check that Multus' NetworkAttachmentDefinition CRD is installed");
    }
    List<String> denied = new ArrayList<>();
    List<Permission> needed = new ArrayList<>(PERMISSIONS);
    if (openshift) {
      needed.addAll(OPENSHIFT);
    }
    for (Permission p : needed) {
      ResourceAttributes attrs =
          new ResourceAttributesBuilder()
              .withGroup(p.group())
              .withNamespace(p.namespaced() ? namespace : null)
              .withResource(p.resource())
              .withSubresource(p.subresource().isEmpty() ? null : p.subresource())
              .withName(p.name().isEmpty() ? null : p.name())
              .withVerb(p.verb())
              .build();
      SelfSubjectAccessReview r =
          new SelfSubjectAccessReviewBuilder()
              .withNewSpec()
              .withResourceAttributes(attrs)
              .endSpec()
              .build();
      SelfSubjectAccessReview res = client.authorization().v1().selfSubjectAccessReview().create(r);
      if (res.getStatus() == null || !Boolean.TRUE.equals(res.getStatus().getAllowed())) {
        denied.add(p.describe());
      }
    }
    if (!denied.isEmpty()) {
      missing.add("permissions (see scale-tests/kube/rbac.yaml): " + String.join(", ", denied));
    }
    Node node = client.nodes().withName(nodeName).get();
    if (node == null) {
      missing.add("node '" + nodeName + "' does not exist (target.node)");
    } else {
      boolean ready =
          node.getStatus() != null
              && node.getStatus().getConditions() != null
              && node.getStatus().getConditions().stream()
                  .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
      if (!ready) {
        missing.add("node '" + nodeName + "' is not Ready");
      }
      // the kubelet counts every pod bound to the node that has not ended (DaemonSets included)
      List<Pod> present = NodeCapacity.present(client, nodeName);
      NodeCapacity capacity = NodeCapacity.of(node, present, maxPods, openshift);
      missing.addAll(capacity.missing());
      warnings.addAll(capacity.warnings());
      unsafeSysctls(client, node, podSysctls.keySet(), openshift, missing, warnings);
    }
    if (!missing.isEmpty()) {
      throw new PreflightException("kube target", missing);
    }
    return warnings;
  }

  /**
   * The kubelet refuses a pod whose sysctls are neither safe nor in its allowedUnsafeSysctls, so
   * every pod of the run would fail at the first step: say so before creating anything.
   */
  private static void unsafeSysctls(
      KubernetesClient client,
      Node node,
      Set<String> keys,
      boolean openshift,
      List<String> missing,
      List<String> warnings) {
    String nodeName = node.getMetadata().getName();
    String version =
        node.getStatus() == null || node.getStatus().getNodeInfo() == null
            ? null
            : node.getStatus().getNodeInfo().getKubeletVersion();
    List<String> unsafe = KubeletSysctls.unsafe(keys, version);
    if (unsafe.isEmpty()) {
      return;
    }
    KubeletSysctls.Reading kubelet = KubeletSysctls.read(client, nodeName);
    if (kubelet.sysctls().isEmpty()) {
      warnings.add(
          "the kubelet's allowedUnsafeSysctls on node '"
              + nodeName
              + "' could not be checked ("
              + kubelet.whyNot()
              + "); the profile sets the unsafe pod sysctls "
              + String.join(", ", unsafe)
              + ", and if the kubelet does not allow them every pod fails with SysctlForbidden");
      return;
    }
    KubeletSysctls allowed = kubelet.sysctls().get();
    List<String> forbidden = allowed.forbidden(unsafe, version);
    if (!forbidden.isEmpty()) {
      missing.add(
          "the kubelet on node '"
              + nodeName
              + "' refuses pods with the unsafe sysctls "
              + String.join(", ", forbidden)
              + " that the profile's podSysctl sets (its allowedUnsafeSysctls: "
              + (allowed.allowedUnsafe().isEmpty()
                  ? "none"
                  : String.join(", ", allowed.allowedUnsafe()))
              + (openshift
                  ? "): add them to allowedUnsafeSysctls with a KubeletConfig for the node's"
                      + " MachineConfigPool (machineconfiguration.openshift.io/v1)"
                  : "): add them to allowedUnsafeSysctls in the node's KubeletConfiguration (or"
                      + " --allowed-unsafe-sysctls='"
                      + String.join(",", forbidden)
                      + "') and restart kubelet")
              + ", or use a profile without podSysctl");
    }
  }
}
