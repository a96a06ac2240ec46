package io.kdensity.tuning.apply;

import io.kdensity.probes.shell.NodeShell;
import java.util.Optional;

/**
 * How a profile reaches the node: its root namespace for node-wide sysctls, and the namespace that
 * holds its NICs and per-namespace sysctls (the same on a real node; the emulated node's namespace
 * on the local target). Also resolves journal namespaces again after a crash.
 */
public interface NodeAccess {

  /** The node's root network namespace. */
  NodeShell host();

  /** The namespace with the node's NICs, or the root namespace itself. */
  NodeShell node();

  /** Name of {@link #node()}'s namespace, or {@code ""} if it is the root namespace. */
  String nodeNamespace();

  /**
   * A shell for a namespace named in a journal ({@code ""} = root), or empty if the namespace no
   * longer exists (its values went with it).
   */
  Optional<NodeShell> namespace(String name);

  /** Where this access reaches: journals record it so a revert goes to the same node. */
  default JournalTarget target() {
    return JournalTarget.LOCAL;
  }
}
