package io.kdensity.scale.targets.local;

/**
 * A CNI plugin returned an error. This is usually a result (the node is full), not an
 * infrastructure problem.
 */
public class CniException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int code;
  private final String msg;

  public CniException(String plugin, String command, int code, String msg) {
    super(plugin + " " + command + " failed (CNI error " + code + "): " + msg);
    this.code = code;
    this.msg = msg;
  }

  public int code() {
    return code;
  }

  /** The plugin's own message, e.g. "failed to ... : exchange full". */
  public String pluginMessage() {
    return msg;
  }
}
