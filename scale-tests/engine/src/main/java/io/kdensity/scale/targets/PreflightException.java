package io.kdensity.scale.targets;

import java.util.List;

/** Something the run needs is missing; the message lists every missing piece. */
public class PreflightException extends InfrastructureException {
  private static final long serialVersionUID = 1L;
  private final List<String> missing;

  public PreflightException(String what, List<String> missing) {
    this(what + " preflight failed, nothing was created", missing, true);
  }

  /** {@code composed}: the message is already the whole first line. */
  private PreflightException(String message, List<String> missing, boolean composed) {
    super(message + ":\n  - " + String.join("\n  - ", missing));
    this.missing = List.copyOf(missing);
  }

  /**
   * A check that needs the node itself (through the probe pod), so it runs after the run's first
   * objects exist; the run removes them before it exits.
   */
  public static PreflightException onNode(String what, List<String> missing) {
    return new PreflightException(
        what + " preflight on the node failed, before the first pod (the run removes what it made)",
        missing,
        true);
  }

  public List<String> missing() {
    return missing;
  }
}
