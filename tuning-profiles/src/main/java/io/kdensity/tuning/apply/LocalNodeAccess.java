package io.kdensity.tuning.apply;

import io.kdensity.probes.shell.Command;
import io.kdensity.probes.shell.CommandResult;
import io.kdensity.probes.shell.LocalShell;
import io.kdensity.probes.shell.NetnsShell;
import io.kdensity.probes.shell.NodeShell;
import io.kdensity.probes.shell.ShellException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * This machine as the node: node-wide sysctls in the root namespace, NICs and per-namespace sysctls
 * in the emulated node's namespace (never the host's own interfaces).
 */
public final class LocalNodeAccess implements NodeAccess {
  private final LocalShell host;
  private final String nodeNamespace;

  /**
   * @param nodeNamespace the emulated node's namespace, or {@code ""} to use only node-wide keys
   *     (per-namespace keys then fail validation rather than touch the host's namespace)
   */
  public LocalNodeAccess(LocalShell host, String nodeNamespace) {
    this.host = host;
    this.nodeNamespace = nodeNamespace;
  }

  @Override
  public NodeShell host() {
    return host;
  }

  @Override
  public NodeShell node() {
    if (nodeNamespace.isEmpty()) {
      return new NoNamespaceShell(host);
    }
    return new NetnsShell(nodeNamespace, host);
  }

  @Override
  public String nodeNamespace() {
    return nodeNamespace;
  }

  @Override
  public Optional<NodeShell> namespace(String name) {
    if (name.isEmpty()) {
      return Optional.of(host);
    }
    if (!Files.exists(Path.of("/run/netns", name))) {
      return Optional.empty();
    }
    return Optional.of(new NetnsShell(name, host));
  }

  /**
   * Stands in for a node namespace when there is none: refuses, so a per-namespace setting is never
   * applied to the host's own root namespace.
   */
  private record NoNamespaceShell(LocalShell host) implements NodeShell {
    @Override
    public CommandResult run(Command c) {
      throw new ShellException(
          "no node namespace: per-namespace and NIC settings apply only to a run's emulated node");
    }

    @Override
    public String readFile(String path) {
      throw new ShellException(
          "no node namespace: per-namespace settings apply only to a run's emulated node ("
              + path
              + ")");
    }

    @Override
    public void writeFile(String path, String content) {
      readFile(path);
    }

    @Override
    public String describe() {
      return "no node namespace";
    }
  }
}
