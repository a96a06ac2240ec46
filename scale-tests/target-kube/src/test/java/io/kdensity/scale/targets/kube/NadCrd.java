package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;

/** Multus' NetworkAttachmentDefinition CRD, for test clusters that have no Multus installed. */
final class NadCrd {
  private NadCrd() {}

  static CustomResourceDefinition definition() {
    return new CustomResourceDefinitionBuilder()
        .withNewMetadata()
        .withName(KubePreflight.NAD_CRD)
        .endMetadata()
        .withNewSpec()
        .withGroup("k8s.cni.cncf.io")
        .withScope("Namespaced")
        .withNewNames()
        .withKind("NetworkAttachmentDefinition")
        .withPlural("network-attachment-definitions")
        .withSingular("network-attachment-definition")
        .endNames()
        .addNewVersion()
        .withName("v1")
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
