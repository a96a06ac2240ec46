package io.kdensity.scale.targets;

/**
 * The harness could not do its job (a plugin is missing, the cluster is unreachable, a namespace
 * cannot be created). Different from a saturated node, which is a result.
 */
public class InfrastructureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InfrastructureException(String message) {
    super(message);
  }

  public InfrastructureException(String message, Throwable cause) {
    super(message, cause);
  }
}
