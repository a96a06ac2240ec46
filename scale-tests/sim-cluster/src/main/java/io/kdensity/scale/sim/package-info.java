/**
 * {@code kdensity sim-cluster}: a Kubernetes cluster in a box whose one worker node is the embedded
 * node of the local target. An API server (fabric8's CRUD store behind a Vert.x server of its own,
 * with the real server's request limits, admission, graceful deletion and exec over the {@code
 * v4.channel.k8s.io} WebSocket protocol), a scheduler, a kubelet that makes every pod a real
 * network namespace with a {@code /pause} process, Multus that runs each
 * NetworkAttachmentDefinition through the real CNI plugin binaries, a DaemonSet and a namespace
 * controller. Each class names the real component and behaviour it models, and where it differs.
 */
package io.kdensity.scale.sim;
