package io.kdensity.scale.sim;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code v4.channel.k8s.io} exec protocol as the kubelet speaks it ({@code
 * k8s.io/apimachinery/pkg/util/remotecommand}, {@code k8s.io/kubelet/pkg/cri/streaming}): binary
 * WebSocket frames whose first byte is the channel — 0 stdin (client to server), 1 stdout, 2
 * stderr, 3 the error channel, which carries one {@code v1 Status} when the process ends, 4 resize.
 *
 * <p>v4 has no way to say that stdin ended: an empty stdin frame is just no data (v5 added channel
 * 255 to close a stream). A process that reads stdin to its end therefore never ends while the
 * client waits for it (kubernetes/kubernetes#89899).
 */
final class ExecProtocol {
  static final int STDIN = 0;
  static final int STDOUT = 1;
  static final int STDERR = 2;
  static final int ERROR = 3;
  static final int RESIZE = 4;

  private ExecProtocol() {}

  static byte[] frame(int channel, byte[] data, int length) {
    byte[] f = new byte[length + 1];
    f[0] = (byte) channel;
    System.arraycopy(data, 0, f, 1, length);
    return f;
  }

  /** The error channel's frame for a Status. */
  static byte[] status(Status s) {
    byte[] json = Serialization.asJson(s).getBytes(StandardCharsets.UTF_8);
    return frame(ERROR, json, json.length);
  }

  /** The process exited 0. */
  static Status success() {
    return new StatusBuilder().withNewMetadata().endMetadata().withStatus("Success").build();
  }

  /**
   * The process exited {@code code}: reason NonZeroExitCode with the code as the ExitCode cause, as
   * the kubelet's remotecommand server writes it.
   */
  static Status exited(int code, List<String> argv) {
    return new StatusBuilder()
        .withNewMetadata()
        .endMetadata()
        .withStatus("Failure")
        .withReason("NonZeroExitCode")
        .withMessage(
            "command terminated with non-zero exit code: error executing command "
                + argv
                + ", exit code "
                + code)
        .withNewDetails()
        .withCauses(
            new StatusCauseBuilder()
                .withReason("ExitCode")
                .withMessage(Integer.toString(code))
                .build())
        .endDetails()
        .build();
  }

  /**
   * The runtime could not start the process: an InternalError carrying the runtime's message, as
   * containerd and runc word a missing executable.
   */
  static Status notStarted(String runtimeMessage) {
    String msg = "error executing command in container: " + runtimeMessage;
    return new StatusBuilder()
        .withNewMetadata()
        .endMetadata()
        .withStatus("Failure")
        .withReason("InternalError")
        .withCode(500)
        .withMessage("Internal error occurred: " + msg)
        .withNewDetails()
        .withCauses(new StatusCauseBuilder().withMessage(msg).build())
        .endDetails()
        .build();
  }

  /** containerd + runc's words for an executable that is not in the container. */
  static String executableNotFound(String execId, String program) {
    return "failed to exec in container: failed to start exec \""
        + execId
        + "\": OCI runtime exec failed: exec failed: unable to start container process: exec: \""
        + program
        + "\": executable file not found in $PATH: unknown";
  }
}
