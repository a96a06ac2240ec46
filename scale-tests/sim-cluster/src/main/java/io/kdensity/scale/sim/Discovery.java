package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.APIGroupBuilder;
import io.fabric8.kubernetes.api.model.APIGroupListBuilder;
import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.APIVersionsBuilder;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscoveryBuilder;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the API server says about itself: {@code /version} (the simulated Kubernetes version),
 * {@code /api}, {@code /apis} and each served group-version's resources. The groups served are the
 * ones the cluster path touches, plus Multus' and whereabouts' CRDs, plus OpenShift's {@code
 * security.openshift.io} when the cluster plays OpenShift (which is how clients tell OpenShift
 * apart).
 */
final class Discovery implements ApiHandler {
  /** One resource of a group-version. */
  record Resource(String name, String kind, boolean namespaced, List<String> verbs) {}

  private static final List<String> ALL =
      List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");

  private final KubeVersion version;
  private final Map<String, List<Resource>> groups = new LinkedHashMap<>();

  Discovery(KubeVersion version, boolean openshift) {
    this.version = version;
    groups.put(
        "v1",
        List.of(
            new Resource("pods", "Pod", true, ALL),
            new Resource("pods/exec", "PodExecOptions", true, List.of("create", "get")),
            new Resource("pods/status", "Pod", true, List.of("get", "patch", "update")),
            new Resource("namespaces", "Namespace", false, ALL),
            new Resource("nodes", "Node", false, ALL),
            new Resource("nodes/proxy", "NodeProxyOptions", false, List.of("get")),
            new Resource("events", "Event", true, ALL),
            new Resource("serviceaccounts", "ServiceAccount", true, ALL)));
    groups.put(
        "apps/v1",
        List.of(
            new Resource("daemonsets", "DaemonSet", true, ALL),
            new Resource("deployments", "Deployment", true, ALL)));
    groups.put("coordination.k8s.io/v1", List.of(new Resource("leases", "Lease", true, ALL)));
    groups.put(
        "authorization.k8s.io/v1",
        List.of(
            new Resource(
                "selfsubjectaccessreviews", "SelfSubjectAccessReview", false, List.of("create"))));
    groups.put(
        "rbac.authorization.k8s.io/v1",
        List.of(
            new Resource("roles", "Role", true, ALL),
            new Resource("rolebindings", "RoleBinding", true, ALL),
            new Resource("clusterroles", "ClusterRole", false, ALL),
            new Resource("clusterrolebindings", "ClusterRoleBinding", false, ALL)));
    groups.put(
        "apiextensions.k8s.io/v1",
        List.of(new Resource("customresourcedefinitions", "CustomResourceDefinition", false, ALL)));
    groups.put(
        "k8s.cni.cncf.io/v1",
        List.of(
            new Resource(
                "network-attachment-definitions", "NetworkAttachmentDefinition", true, ALL)));
    groups.put(
        "whereabouts.cni.cncf.io/v1alpha1", List.of(new Resource("ippools", "IPPool", true, ALL)));
    if (openshift) {
      groups.put(
          "security.openshift.io/v1",
          List.of(
              new Resource(
                  "securitycontextconstraints", "SecurityContextConstraints", false, ALL)));
    }
  }

  @Override
  public Optional<MockResponse> handle(RecordedRequest request, RequestPath path) {
    if (!request.getMethod().equals("GET")) {
      return Optional.empty();
    }
    String p = request.getPath();
    int q = p.indexOf('?');
    String bare = q < 0 ? p : p.substring(0, q);
    switch (bare) {
      case "/version", "/version/" -> {
        return Optional.of(ApiStatus.ok(version.info()));
      }
      case "/api", "/api/" -> {
        return Optional.of(ApiStatus.ok(new APIVersionsBuilder().withVersions("v1").build()));
      }
      case "/apis", "/apis/" -> {
        return Optional.of(ApiStatus.ok(groupList()));
      }
      default -> {
        String gv =
            bare.startsWith("/api/")
                ? bare.substring(5)
                : bare.startsWith("/apis/") ? bare.substring(6) : null;
        if (gv != null && groups.containsKey(gv)) {
          return Optional.of(ApiStatus.ok(resources(gv)));
        }
        return Optional.empty();
      }
    }
  }

  private Object groupList() {
    List<io.fabric8.kubernetes.api.model.APIGroup> list = new ArrayList<>();
    for (String gv : groups.keySet()) {
      if (!gv.contains("/")) {
        continue;
      }
      String group = gv.substring(0, gv.indexOf('/'));
      var v =
          new GroupVersionForDiscoveryBuilder()
              .withGroupVersion(gv)
              .withVersion(gv.substring(gv.indexOf('/') + 1))
              .build();
      list.add(
          new APIGroupBuilder().withName(group).withVersions(v).withPreferredVersion(v).build());
    }
    return new APIGroupListBuilder().withGroups(list).build();
  }

  private Object resources(String gv) {
    var b = new APIResourceListBuilder().withGroupVersion(gv);
    for (Resource r : groups.get(gv)) {
      b.addToResources(
          new APIResourceBuilder()
              .withName(r.name())
              .withKind(r.kind())
              .withNamespaced(r.namespaced())
              .withSingularName("")
              .withVerbs(r.verbs())
              .build());
    }
    return b.build();
  }
}
