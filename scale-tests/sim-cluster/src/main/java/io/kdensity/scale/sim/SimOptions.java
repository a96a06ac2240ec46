package io.kdensity.scale.sim;

import io.kdensity.scale.targets.local.EmbeddedNode;
import java.nio.file.Path;
import java.util.List;

/**
 * How the simulated cluster is made.
 *
 * @param nodeName the worker node's name
 * @param maxPods the kubelet's maxPods (the node's allocatable pods)
 * @param uplinks the node's NIC ports ({@link EmbeddedNode#uplinks()}), where macvlan/ipvlan NADs
 *     attach
 * @param openshift play OpenShift: serve {@code security.openshift.io} and admit pods by SCC
 * @param version the Kubernetes version the API server and kubelet report
 * @param podSecurity the Pod Security level of namespaces without an enforce label
 * @param allowedUnsafeSysctls the kubelet's allowedUnsafeSysctls
 * @param port the API server's port on 127.0.0.1 (0: any free one)
 * @param parallelism sandboxes the kubelet sets up at the same time (a kubelet has no such limit:
 *     each pod has its worker; 64 keeps the machine's process count bounded)
 * @param cniDirs where the CNI plugin binaries are
 * @param eventQps the kubelet's eventRecordQPS
 * @param eventBurst the kubelet's eventBurst
 * @param limitCriticalPods admit system-node-critical and system-cluster-critical pods outside
 *     kube-system only in namespaces with a ResourceQuota for them (GKE's quota configuration)
 */
public record SimOptions(
    String nodeName,
    int maxPods,
    int uplinks,
    boolean openshift,
    String version,
    String podSecurity,
    List<String> allowedUnsafeSysctls,
    int port,
    int parallelism,
    List<Path> cniDirs,
    double eventQps,
    int eventBurst,
    boolean limitCriticalPods) {

  /** A stock kubeadm cluster's node: maxPods 110, no unsafe sysctls, Pod Security privileged. */
  public static final SimOptions DEFAULT =
      new SimOptions(
          "sim-worker-1",
          110,
          5,
          false,
          "v1.31.4",
          "privileged",
          List.of(),
          0,
          64,
          List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin")),
          50,
          100,
          false);

  public SimOptions {
    allowedUnsafeSysctls = List.copyOf(allowedUnsafeSysctls);
    cniDirs = List.copyOf(cniDirs);
    if (!nodeName.matches("[a-z0-9]([-a-z0-9.]{0,61}[a-z0-9])?")) {
      throw new IllegalArgumentException(
          "--node: '" + nodeName + "' is not a node name (lower-case DNS-1123 subdomain)");
    }
    if (maxPods < 1) {
      throw new IllegalArgumentException("--max-pods must be at least 1, got " + maxPods);
    }
    if (uplinks < 1 || uplinks > 16) {
      throw new IllegalArgumentException("--uplinks must be 1 to 16, got " + uplinks);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be 0 to 65535, got " + port);
    }
    if (parallelism < 1) {
      throw new IllegalArgumentException("--parallelism must be at least 1, got " + parallelism);
    }
    KubeVersion.parse(version);
    PodSecurity.Level.of(podSecurity);
  }
}
