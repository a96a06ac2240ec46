package io.kdensity.scale.targets.kube;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributes;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReview;
import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectAccessReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kdensity.scale.targets.PreflightException;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a cluster before anything is created: the API answers, the NetworkAttachmentDefinition CRD
 * exists, every permission the run needs is granted (one SelfSubjectAccessReview each, every
 * missing one listed), the node exists and is Ready, and it admits as many pods as the plan asks.
 */
final class KubePreflight {
  static final String NAD_CRD = "network-attachment-definitions.k8s.cni.cncf.io";

  /** group, resource, verb, namespaced. */
  static final List<String[]> PERMISSIONS =
      List.of(
          new String[] {"", "namespaces", "create", "no"},
          new String[] {"", "namespaces", "delete", "no"},
          new String[] {"", "pods", "create", "yes"},
          new String[] {"", "pods", "delete", "yes"},
          new String[] {"", "pods", "list", "yes"},
          new String[] {"", "pods", "watch", "yes"},
          new String[] {"", "pods/exec", "create", "yes"},
          new String[] {"", "events", "list", "yes"},
          new String[] {"", "events", "watch", "yes"},
          new String[] {"", "nodes", "get", "no"},
          new String[] {"apps", "daemonsets", "create", "yes"},
          new String[] {"k8s.cni.cncf.io", "network-attachment-definitions", "create", "yes"},
          new String[] {"k8s.cni.cncf.io", "network-attachment-definitions", "delete", "yes"});

  private KubePreflight() {}

  static void check(KubernetesClient client, String namespace, String nodeName, int maxPods) {
    List<String> missing = new ArrayList<>();
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
    for (String[] p : PERMISSIONS) {
      ResourceAttributes attrs =
          new io.fabric8.kubernetes.api.model.authorization.v1.ResourceAttributesBuilder()
              .withGroup(p[0])
              .withNamespace(p[3].equals("yes") ? namespace : null)
              .withResource(p[1].replace("/exec", ""))
              .withSubresource(p[1].contains("/") ? "exec" : null)
              .withVerb(p[2])
              .build();
      SelfSubjectAccessReview r =
          new SelfSubjectAccessReviewBuilder()
              .withNewSpec()
              .withResourceAttributes(attrs)
              .endSpec()
              .build();
      SelfSubjectAccessReview res = client.authorization().v1().selfSubjectAccessReview().create(r);
      if (res.getStatus() == null || !Boolean.TRUE.equals(res.getStatus().getAllowed())) {
        denied.add(p[2] + " " + (p[0].isEmpty() ? "" : p[0] + "/") + p[1]);
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
      Quantity pods =
          node.getStatus() == null || node.getStatus().getAllocatable() == null
              ? null
              : node.getStatus().getAllocatable().get("pods");
      if (pods != null && Integer.parseInt(pods.getAmount()) < maxPods) {
        missing.add(
            "node '"
                + nodeName
                + "' admits "
                + pods.getAmount()
                + " pods (kubelet maxPods; the default is 110) but the plan ramps to "
                + maxPods
                + ": raise maxPods in the node's KubeletConfiguration (or --max-pods) and restart kubelet");
      }
    }
    if (!missing.isEmpty()) {
      throw new PreflightException("kube target", missing);
    }
  }
}
