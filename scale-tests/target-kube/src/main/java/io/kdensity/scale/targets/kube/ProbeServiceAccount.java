package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * The identity the probe DaemonSet's pod runs as: service account {@value #NAME} in the run's
 * namespace. On OpenShift a privileged, hostNetwork, hostPID pod is admitted only by the {@code
 * privileged} SCC, and a pod created by the DaemonSet controller only if its service account may
 * {@code use} it; so there the run binds the account to OpenShift's {@value #SCC_ROLE} ClusterRole
 * with a RoleBinding of its own namespace (what {@code oc adm policy add-scc-to-user privileged -z}
 * makes), which goes with the namespace. Creating that binding needs {@code use} of the SCC (RBAC's
 * escalation check): {@code scale-tests/kube/rbac.yaml} grants it.
 */
final class ProbeServiceAccount {
  static final String NAME = "kdensity-probe";
  static final String SCC_ROLE = "system:openshift:scc:privileged";
  static final String OPENSHIFT_SECURITY = "security.openshift.io";

  private ProbeServiceAccount() {}

  /** Whether the cluster serves OpenShift's SCC API ({@code security.openshift.io}). */
  static boolean openshift(KubernetesClient client) {
    try {
      return client.getApiGroups().getGroups().stream()
          .anyMatch(g -> OPENSHIFT_SECURITY.equals(g.getName()));
    } catch (KubernetesClientException e) {
      return false;
    }
  }

  /** Creates the account (and on OpenShift its SCC binding) in the run's namespace. */
  static void create(KubernetesClient client, String namespace, String runId, boolean openshift) {
    client
        .serviceAccounts()
        .inNamespace(namespace)
        .resource(
            new ServiceAccountBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(namespace)
                .withLabels(KubeLabels.ofRun(runId))
                .endMetadata()
                .withAutomountServiceAccountToken(false)
                .build())
        .create();
    if (!openshift) {
      return;
    }
    client
        .rbac()
        .roleBindings()
        .inNamespace(namespace)
        .resource(
            new RoleBindingBuilder()
                .withNewMetadata()
                .withName(NAME + "-privileged-scc")
                .withNamespace(namespace)
                .withLabels(KubeLabels.ofRun(runId))
                .endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", SCC_ROLE)
                .addNewSubject()
                .withKind("ServiceAccount")
                .withName(NAME)
                .withNamespace(namespace)
                .endSubject()
                .build())
        .create();
  }
}
