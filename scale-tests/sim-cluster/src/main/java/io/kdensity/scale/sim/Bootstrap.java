package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;
import java.util.Map;

/**
 * What a freshly installed cluster holds before anyone uses it: the system namespaces and priority
 * classes, Multus' and whereabouts' CRDs (their installers create them), and on OpenShift the
 * default SCCs with their {@code system:openshift:scc:<name>} ClusterRoles and {@code
 * restricted-v2} granted to every authenticated user.
 */
final class Bootstrap {
  static final ResourceDefinitionContext SCC =
      new ResourceDefinitionContext.Builder()
          .withGroup("security.openshift.io")
          .withVersion("v1")
          .withKind("SecurityContextConstraints")
          .withPlural("securitycontextconstraints")
          .withNamespaced(false)
          .build();

  private Bootstrap() {}

  /** The custom resources the store must know (their REST paths and scopes). */
  static List<CustomResourceDefinitionContext> storeResources() {
    return List.of(
        crd(
            "k8s.cni.cncf.io",
            "v1",
            "NetworkAttachmentDefinition",
            "network-attachment-definitions",
            "Namespaced"),
        crd("whereabouts.cni.cncf.io", "v1alpha1", "IPPool", "ippools", "Namespaced"),
        crd(
            "security.openshift.io",
            "v1",
            "SecurityContextConstraints",
            "securitycontextconstraints",
            "Cluster"));
  }

  private static CustomResourceDefinitionContext crd(
      String group, String version, String kind, String plural, String scope) {
    return new CustomResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion(version)
        .withKind(kind)
        .withPlural(plural)
        .withScope(scope)
        .build();
  }

  private static PriorityClass priorityClass(String name, int value, String description) {
    return new PriorityClassBuilder()
        .withNewMetadata()
        .withName(name)
        .endMetadata()
        .withValue(value)
        .withDescription(description)
        .build();
  }

  static void create(KubernetesClient admin, boolean openshift) {
    for (String ns : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      admin
          .namespaces()
          .resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
    }
    // kube-apiserver creates the system priority classes at start (storage_scheduling.go)
    admin
        .scheduling()
        .v1()
        .priorityClasses()
        .resource(
            priorityClass(
                "system-node-critical",
                2000001000,
                "Used for system critical pods that must not be moved from their current node."))
        .create();
    admin
        .scheduling()
        .v1()
        .priorityClasses()
        .resource(
            priorityClass(
                "system-cluster-critical",
                2000000000,
                "Used for system critical pods that must run in the cluster, but can be moved to"
                    + " another node if necessary."))
        .create();
    admin
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            definition(
                "k8s.cni.cncf.io",
                "v1",
                "NetworkAttachmentDefinition",
                "network-attachment-definitions",
                "network-attachment-definition",
                "Namespaced"))
        .create();
    admin
        .apiextensions()
        .v1()
        .customResourceDefinitions()
        .resource(
            definition(
                "whereabouts.cni.cncf.io", "v1alpha1", "IPPool", "ippools", "ippool", "Namespaced"))
        .create();
    if (!openshift) {
      return;
    }
    for (SccAdmission.Scc scc : SccAdmission.DEFAULTS) {
      admin
          .genericKubernetesResources(SCC)
          .resource(
              new GenericKubernetesResourceBuilder()
                  .withApiVersion("security.openshift.io/v1")
                  .withKind("SecurityContextConstraints")
                  .withNewMetadata()
                  .withName(scc.name())
                  .endMetadata()
                  .addToAdditionalProperties(
                      Map.of(
                          "allowHostNetwork", scc.hostNetwork(),
                          "allowHostPID", scc.hostPid(),
                          "allowPrivilegedContainer", scc.privileged(),
                          "allowedUnsafeSysctls", scc.unsafeSysctls() ? List.of("*") : List.of()))
                  .build())
          .create();
      admin
          .rbac()
          .clusterRoles()
          .resource(
              new ClusterRoleBuilder()
                  .withNewMetadata()
                  .withName("system:openshift:scc:" + scc.name())
                  .endMetadata()
                  .withRules(
                      new PolicyRuleBuilder()
                          .withApiGroups("security.openshift.io")
                          .withResources("securitycontextconstraints")
                          .withResourceNames(scc.name())
                          .withVerbs("use")
                          .build())
                  .build())
          .create();
    }
    admin
        .rbac()
        .clusterRoleBindings()
        .resource(
            new ClusterRoleBindingBuilder()
                .withNewMetadata()
                .withName("system:openshift:scc:restricted-v2")
                .endMetadata()
                .withNewRoleRef(
                    "rbac.authorization.k8s.io",
                    "ClusterRole",
                    "system:openshift:scc:restricted-v2")
                .addNewSubject()
                .withApiGroup("rbac.authorization.k8s.io")
                .withKind("Group")
                .withName("system:authenticated")
                .endSubject()
                .build())
        .create();
  }

  private static CustomResourceDefinition definition(
      String group, String version, String kind, String plural, String singular, String scope) {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName(plural + "." + group)
        .endMetadata()
        .withNewSpec()
        .withGroup(group)
        .withScope(scope)
        .withNewNames()
        .withKind(kind)
        .withPlural(plural)
        .withSingular(singular)
        .endNames()
        .addNewVersion()
        .withName(version)
        .withServed(true)
        .withStorage(true)
        .withNewSchema()
        .withNewOpenAPIV3Schema()
        .withType("object")
        .withXKubernetesPreserveUnknownFields(true)
        .endOpenAPIV3Schema()
        .endSchema()
        .endVersion()
        .endSpec()
        .build();
  }
}
