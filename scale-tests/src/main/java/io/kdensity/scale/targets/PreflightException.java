package io.kdensity.scale.targets;

import java.util.List;

/** Something the run needs is missing; the message lists every missing piece. */
public class PreflightException extends InfrastructureException {
  private static final long serialVersionUID = 1L;
  private final List<String> missing;

  public PreflightException(String what, List<String> missing) {
    super(what + " preflight failed, nothing was created:\n  - " + String.join("\n  - ", missing));
    this.missing = List.copyOf(missing);
  }

  public List<String> missing() {
    return missing;
  }
}
