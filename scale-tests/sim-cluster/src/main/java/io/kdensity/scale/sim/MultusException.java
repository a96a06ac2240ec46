package io.kdensity.scale.sim;

/** Multus could not set up a pod's networks; the message is Multus' own. */
final class MultusException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MultusException(String message) {
    super(message);
  }
}
