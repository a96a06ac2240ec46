package io.kdensity.probes.probe;

import io.kdensity.probes.shell.NodeShell;
import java.util.List;

/**
 * One pod's network namespace and the interfaces it was given.
 *
 * @param name pod name
 * @param shell a shell inside the pod's network namespace
 * @param interfaces what the pod should have
 */
public record PodView(String name, NodeShell shell, List<PodInterface> interfaces) {
  public PodView {
    interfaces = List.copyOf(interfaces);
  }
}
