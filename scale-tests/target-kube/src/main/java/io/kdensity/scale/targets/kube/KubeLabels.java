package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/** The names kdensity writes on a cluster: labels, annotations, the NAD resource. */
final class KubeLabels {
  private KubeLabels() {}

  static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  static final String MANAGED_BY_VALUE = "kdensity";
  static final String RUN = "kdensity.io/run";
  static final String ROLE = "kdensity.io/role";
  static final String ROLE_POD = "pod";
  static final String ROLE_PROBE = "probe";
  static final String ROLE_RESTORE = "restore";

  /**
   * A Node annotation by which a simulated node (kdensity sim-cluster) names the network namespaces
   * of its kernel that emulate the world outside it, comma-separated. Real nodes do not carry it.
   */
  static final String OUTSIDE_NODE = "kdensity.io/outside-node-netns";

  /** Multus: the networks a pod asks for ({@code [{"name":"sat-a","interface":"net1"}]}). */
  static final String NETWORKS = "k8s.v1.cni.cncf.io/networks";

  /** Multus: what it attached, written once the sandbox is up. */
  static final String NETWORK_STATUS = "k8s.v1.cni.cncf.io/network-status";

  static final ResourceDefinitionContext NAD =
      new ResourceDefinitionContext.Builder()
          .withGroup("k8s.cni.cncf.io")
          .withVersion("v1")
          .withKind("NetworkAttachmentDefinition")
          .withPlural("network-attachment-definitions")
          .withNamespaced(true)
          .build();

  /** The labels of everything a run creates. */
  static Map<String, String> ofRun(String runId) {
    return Map.of(MANAGED_BY, MANAGED_BY_VALUE, RUN, runId);
  }

  static Map<String, String> ofRun(String runId, String role) {
    return Map.of(MANAGED_BY, MANAGED_BY_VALUE, RUN, runId, ROLE, role);
  }

  /** A namespace of a run: labelled as kdensity's, and admitting its privileged pods. */
  static Namespace runNamespace(String name, String runId) {
    return new NamespaceBuilder()
        .withNewMetadata()
        .withName(name)
        .withLabels(ofRun(runId))
        .addToLabels(PodSecurity.PRIVILEGED)
        .endMetadata()
        .build();
  }
}
