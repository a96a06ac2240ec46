package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;

/**
 * The RBAC authorizer's rule walk ({@code k8s.io/kubernetes/plugin/pkg/auth/authorizer/rbac}) over
 * the stored Roles, ClusterRoles and their bindings: a request is allowed when a binding in its
 * namespace or a cluster binding names the user, one of its groups or its service account, and the
 * bound role has a rule matching API group, resource, verb and resource name. The cluster admin is
 * allowed everything, as {@code cluster-admin}'s {@code *} rule does.
 */
final class Rbac {
  private static final String API = "/apis/rbac.authorization.k8s.io/v1";

  private final ApiStore store;

  Rbac(ApiStore store) {
    this.store = store;
  }

  /** A request's attributes. */
  record Request(
      String user,
      List<String> groups,
      String verb,
      String apiGroup,
      String resource,
      String name,
      String namespace) {}

  /** The user and groups a service account authenticates as. */
  static Request asServiceAccount(
      String namespace,
      String serviceAccount,
      String verb,
      String group,
      String resource,
      String name) {
    return new Request(
        "system:serviceaccount:" + namespace + ":" + serviceAccount,
        List.of(
            "system:serviceaccounts",
            "system:serviceaccounts:" + namespace,
            "system:authenticated"),
        verb,
        group,
        resource,
        name,
        namespace);
  }

  boolean allows(Request r) {
    if (Identities.isAdmin(r.user())) {
      return true;
    }
    if (!r.namespace().isEmpty()) {
      for (RoleBinding b :
          store.list(API + "/namespaces/" + r.namespace() + "/rolebindings", RoleBinding.class)) {
        if (names(b.getSubjects(), r, r.namespace()) && grants(b.getRoleRef(), r.namespace(), r)) {
          return true;
        }
      }
    }
    for (ClusterRoleBinding b :
        store.list(API + "/clusterrolebindings", ClusterRoleBinding.class)) {
      if (names(b.getSubjects(), r, "") && grants(b.getRoleRef(), "", r)) {
        return true;
      }
    }
    return false;
  }

  private static boolean names(List<Subject> subjects, Request r, String bindingNamespace) {
    if (subjects == null) {
      return false;
    }
    for (Subject s : subjects) {
      switch (s.getKind()) {
        case "User" -> {
          if (s.getName().equals(r.user())) {
            return true;
          }
        }
        case "Group" -> {
          if (r.groups().contains(s.getName())) {
            return true;
          }
        }
        case "ServiceAccount" -> {
          String ns = s.getNamespace() == null ? bindingNamespace : s.getNamespace();
          if (("system:serviceaccount:" + ns + ":" + s.getName()).equals(r.user())) {
            return true;
          }
        }
        default -> {}
      }
    }
    return false;
  }

  private boolean grants(RoleRef ref, String namespace, Request r) {
    List<PolicyRule> rules = new ArrayList<>();
    if ("ClusterRole".equals(ref.getKind())) {
      store
          .get(API + "/clusterroles/" + ref.getName(), ClusterRole.class)
          .ifPresent(c -> rules.addAll(c.getRules() == null ? List.of() : c.getRules()));
    } else if ("Role".equals(ref.getKind()) && !namespace.isEmpty()) {
      store
          .get(API + "/namespaces/" + namespace + "/roles/" + ref.getName(), Role.class)
          .ifPresent(c -> rules.addAll(c.getRules() == null ? List.of() : c.getRules()));
    }
    return rules.stream().anyMatch(rule -> matches(rule, r));
  }

  static boolean matches(PolicyRule rule, Request r) {
    return has(rule.getApiGroups(), r.apiGroup())
        && has(rule.getResources(), r.resource())
        && has(rule.getVerbs(), r.verb())
        && (rule.getResourceNames() == null
            || rule.getResourceNames().isEmpty()
            || rule.getResourceNames().contains(r.name()));
  }

  private static boolean has(List<String> list, String value) {
    return list != null && (list.contains("*") || list.contains(value));
  }
}
