/**
 * The Kubernetes target: pods with Multus interfaces on a real cluster node through fabric8.
 * NetworkAttachmentDefinitions come from the plan's attachments; pods are pinned to the node under
 * test with the {@code k8s.v1.cni.cncf.io/networks} annotation; informers record created →
 * scheduled → networked → Ready; sandbox failures become {@code ATTACH_FAILED}; node probes run
 * through a privileged DaemonSet on that node.
 */
package io.kdensity.scale.targets.kube;
