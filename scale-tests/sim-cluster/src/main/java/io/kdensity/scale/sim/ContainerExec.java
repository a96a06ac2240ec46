package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;

/** Where an exec runs: the node's container runtime (the {@link Kubelet} here). */
interface ContainerExec {

  /** How an exec began. */
  sealed interface Start {
    /** The process runs; its pipes are the exec's streams. */
    record Started(Process process) implements Start {}

    /** The runtime refused, with its own words (a missing executable, a stopped container). */
    record Refused(String runtimeMessage) implements Start {}
  }

  /**
   * Starts {@code argv} in a container of a pod bound to this node.
   *
   * @param stdin whether the client streams stdin (else the process reads /dev/null)
   */
  Start exec(Pod pod, String container, List<String> argv, boolean stdin);

  /**
   * Why a container cannot be exec'd into right now (not running, unknown), or null if it can: what
   * the kubelet answers before the stream is upgraded.
   */
  String notRunning(Pod pod, String container);
}
