package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;

/**
 * Pins pods to the node under test by the Node object's name ({@code metadata.name} field selector
 * in a required node affinity), not by the {@code kubernetes.io/hostname} label, which may differ
 * from the name (cloud providers, FQDN hostnames).
 */
final class NodePinning {
  private NodePinning() {}

  static Affinity affinity(String node) {
    return new AffinityBuilder()
        .withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm()
        .addNewMatchField()
        .withKey("metadata.name")
        .withOperator("In")
        .withValues(node)
        .endMatchField()
        .endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity()
        .build();
  }
}
